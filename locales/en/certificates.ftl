# Certificates of attendance and their verification page.
certificate-heading = { $kind ->
    [training] Certificate of completion
   *[other] Certificate of attendance
}
certificate-certifies = This certifies that
certificate-attended = { $kind ->
    [training] completed the training course
   *[other] attended
}
certificate-hours = { $hours_n ->
    [one] { $hours } hour
   *[other] { $hours } hours
} · { $sessions ->
    [one] { $sessions } session attended
   *[other] { $sessions } sessions attended
}
certificate-partners = In partnership with:
certificate-number = No. { $number }
certificate-verify = Verify this certificate at:
verify-title = Certificate verification
verify-genuine = This certificate is genuine.
verify-revoked = This certificate was revoked: it is no longer valid.
verify-erased = This certificate was revoked: its holder's personal data was erased at their request.
verify-unknown = No certificate has this code. It may be mistyped or forged.
verify-holder = Holder
verify-event = Event
verify-dates = Dates
verify-hours = Hours
verify-number = Number
verify-offline = The code is signed with the key published at { $keys }: it can also be checked offline.
mail-subject-certificate-issued = Your certificate of attendance: { $event }
mail-body-certificate-issued = Your certificate of attendance for { $event } is attached. Anyone can check it with the QR code on it.
me-certificate = Certificate of attendance
me-certificate-text = { $hours_n ->
    [one] No. { $number }, { $hours } hour.
   *[other] No. { $number }, { $hours } hours.
}
me-certificate-download = Download the certificate (PDF)
