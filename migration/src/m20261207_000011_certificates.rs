//! Certificates of attendance: the rules of an event (which sessions count, the share of them
//! a delegate must attend, the hours credited, how attendance is measured, the partners named
//! on the certificate), the certificates issued (one per registration, numbered per event,
//! with the signed verification code, revocable), and the Ed25519 keys that sign
//! certificates: their own keys, apart from the badge keys, because a certificate must stay
//! verifiable for years after the badge keys of its event were retired.

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261122_000001_agenda::Events;
use super::m20261122_000002_registrations::Registrations;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000011_certificates"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CertificateKeys::Table)
                    .col(integer(CertificateKeys::Kid).primary_key())
                    .col(text(CertificateKeys::SecretKey))
                    .col(string_len(CertificateKeys::PublicKey, 64))
                    .col(boolean(CertificateKeys::Active))
                    .col(timestamp_with_time_zone(CertificateKeys::CreatedAt))
                    .col(timestamp_with_time_zone_null(CertificateKeys::RetiredAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CertificateRules::Table)
                    .col(uuid(CertificateRules::EventId).primary_key())
                    .col(json_null(CertificateRules::SessionIds))
                    .col(double(CertificateRules::MinShare))
                    .col(json(CertificateRules::Hours))
                    .col(string_len(CertificateRules::Attendance, 16))
                    .col(text_null(CertificateRules::Partners))
                    .col(timestamp_with_time_zone(CertificateRules::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CertificateRules::Table, CertificateRules::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Certificates::Table)
                    .col(uuid(Certificates::Id).primary_key())
                    .col(uuid(Certificates::EventId))
                    .col(uuid_uniq(Certificates::RegistrationId))
                    .col(integer(Certificates::Seq))
                    .col(string_len(Certificates::Number, 64))
                    .col(integer(Certificates::Minutes))
                    .col(json(Certificates::Sessions))
                    .col(string_len_uniq(Certificates::Code, 256))
                    .col(string_len(Certificates::Language, 8))
                    .col(text_null(Certificates::OverrideReason))
                    .col(timestamp_with_time_zone(Certificates::IssuedAt))
                    .col(timestamp_with_time_zone_null(Certificates::RevokedAt))
                    .col(text_null(Certificates::RevokeReason))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Certificates::Table, Certificates::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Certificates::Table, Certificates::RegistrationId)
                            .to(Registrations::Table, Registrations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_certificates_event_seq")
                    .table(Certificates::Table)
                    .col(Certificates::EventId)
                    .col(Certificates::Seq)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Certificates::Table.into_iden(),
            CertificateRules::Table.into_iden(),
            CertificateKeys::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
pub enum CertificateKeys {
    Table,
    Kid,
    SecretKey,
    PublicKey,
    Active,
    CreatedAt,
    RetiredAt,
}

#[derive(DeriveIden)]
pub enum CertificateRules {
    Table,
    EventId,
    SessionIds,
    MinShare,
    Hours,
    Attendance,
    Partners,
    UpdatedAt,
}

#[derive(DeriveIden)]
pub enum Certificates {
    Table,
    Id,
    EventId,
    RegistrationId,
    Seq,
    Number,
    Minutes,
    Sessions,
    Code,
    Language,
    OverrideReason,
    IssuedAt,
    RevokedAt,
    RevokeReason,
}
