# Gatnaşandygy barada şahadatnamalar we olary barlamak sahypasy.
certificate-heading = { $kind ->
    [training] Okuwy tamamlandygy barada şahadatnama
   *[other] Gatnaşandygy barada şahadatnama
}
certificate-certifies = Şu şahadatnama berilýär:
certificate-attended = { $kind ->
    [training] aşakdaky okuw maksatnamasy boýunça okuwy tamamlandygy üçin
   *[other] aşakdaky çärä gatnaşandygy üçin
}
certificate-hours = { $hours } sagat · gatnaşylan sapaklar: { $sessions }
certificate-partners = Hyzmatdaşlar:
certificate-number = № { $number }
certificate-verify = Şahadatnamany barlamak:
verify-title = Şahadatnamany barlamak
verify-genuine = Bu şahadatnama hakyky.
verify-revoked = Bu şahadatnama yzyna alyndy we indi hakyky däl.
verify-erased = Bu şahadatnama yzyna alyndy: eýesiniň şahsy maglumatlary onuň haýyşy boýunça pozuldy.
verify-unknown = Bu kodly şahadatnama ýok. Kod ýalňyş ýazylan ýa-da galp bolmagy mümkin.
verify-holder = Eýesi
verify-event = Çäre
verify-dates = Senesi
verify-hours = Sagat
verify-number = Belgisi
verify-offline = Kod { $keys } salgysynda ýerleşdirilen açar bilen gol çekildi: ony internetsiz hem barlap bolýar.
mail-subject-certificate-issued = Gatnaşandygyňyz barada şahadatnama: { $event }
mail-body-certificate-issued = „{ $event }“ çäresine gatnaşandygyňyz barada şahadatnama hata goşuldy. Ony islendik adam şahadatnamadaky QR kody arkaly barlap biler.
me-certificate = Gatnaşandygy barada şahadatnama
me-certificate-text = № { $number }, { $hours } sagat.
me-certificate-download = Şahadatnamany ýükläp alyň (PDF)
