# Сертификаты об участии и страница их проверки.
certificate-heading = { $kind ->
    [training] Сертификат о прохождении обучения
   *[other] Сертификат об участии
}
certificate-certifies = Настоящим удостоверяется, что
certificate-attended = { $kind ->
    [training] прошёл(-ла) обучение по программе
   *[other] принял(-а) участие в мероприятии
}
certificate-hours = { $hours } ч. · { $sessions ->
    [one] посещено { $sessions } занятие
    [few] посещено { $sessions } занятия
    [many] посещено { $sessions } занятий
   *[other] посещено { $sessions } занятия
}
certificate-partners = При участии партнёров:
certificate-number = № { $number }
certificate-verify = Проверить сертификат:
verify-title = Проверка сертификата
verify-genuine = Сертификат подлинный.
verify-revoked = Сертификат отозван и больше не действителен.
verify-erased = Сертификат отозван: персональные данные его владельца удалены по его запросу.
verify-unknown = Сертификата с таким кодом нет. Возможно, код введён с ошибкой или подделан.
verify-holder = Владелец
verify-event = Мероприятие
verify-dates = Даты
verify-hours = Часы
verify-number = Номер
verify-offline = Код подписан ключом, опубликованным по адресу { $keys }: его можно проверить и без сети.
mail-subject-certificate-issued = Ваш сертификат об участии: { $event }
mail-body-certificate-issued = Ваш сертификат по итогам мероприятия «{ $event }» во вложении. Любой может проверить его подлинность по QR-коду на сертификате.
me-certificate = Сертификат об участии
me-certificate-text = № { $number }, { $hours } ч.
me-certificate-download = Скачать сертификат (PDF)
