site-name = Dialogue
skip-to-content = Esasy mazmuna geçiň
nav-events = Çäreler
language-switch = Dil
lang-tk = Türkmençe
lang-ru = Русский
lang-en = English
language-tk = Türkmençe
language-ru = Rusça
language-en = Iňlisçe
times-in-zone = Wagtlar { $zone } boýunça görkezilýär.
zone-asia-ashgabat = Aşgabat wagty
zone-asia-tashkent = Daşkent wagty
zone-asia-samarkand = Samarkant wagty
zone-asia-almaty = Almaty wagty
zone-asia-bishkek = Bişkek wagty
zone-asia-dushanbe = Duşenbe wagty
zone-asia-baku = Baku wagty
zone-asia-tehran = Tähran wagty
zone-europe-moscow = Moskwa wagty
zone-europe-istanbul = Stambul wagty

index-title = Çäreler
index-lead = Seminarlar, okuw kurslary we sanly hyzmatdaşlyk boýunça sebitara dialog.
index-upcoming = Geljekki çäreler
index-past = Geçen çäreler
index-empty = Häzirlikçe ýerleşdirilen çäre ýok.

event-dates = Senesi
event-venue = Geçirilýän ýeri
event-languages = Diller
event-capacity = Orunlar
event-capacity-unlimited = Çäklendirilmedik
event-status-cancelled = Bu çäre ýatyryldy.
event-register = Hasaba duruň
event-registration = Hasaba alyş
registration-open = Hasaba alyş açyk.
registration-approval = Hasaba alyş açyk; guramaçylar her arzany tassyklaýarlar.
registration-closed = Hasaba alyş ýapyk.
registration-not-yet = Hasaba alyş açylýan sene: { $date }.
registration-ended = Hasaba alyş ýapylan sene: { $date }.
event-agenda = Maksatnama
event-agenda-link = Maksatnama serediň
subscribe-title = Maksatnamany senenamaňyza goşuň
subscribe-webcal = Senenama programmaňyzda ýazylyň
subscribe-google = Google senenamasyna goşuň
subscribe-copy = Senenamanyň salgysy (göçürip alyň)
apps-title = Konferensiýa programmalary
apps-note = Giggity, ConfClerk, EventFahrplan we beýleki konferensiýa programmalary maksatnamany şu salgylardan alýar.
apps-schedule-xml = Programmalar üçin maksatnama (frab XML)
apps-schedule-json = Programmalar üçin maksatnama (c3voc JSON)

agenda-title = Maksatnama
agenda-filters = Süzgüçler
filter-day = Gün
filter-track = Ugur
filter-room = Zal
filter-language = Mejlisiň dili
filter-any = Ählisi
filter-apply = Görkeziň
filter-reset = Ählisini görkeziň
agenda-empty = Saýlanan süzgüçlere gabat gelýän mejlis ýok.
agenda-session-count = { $count } mejlis
session-time = Wagty
session-room = Zal
session-track = Ugur
session-speakers = Çykyş edijiler
session-language = Dili
session-cancelled = Ýatyryldy

not-found-title = Sahypa tapylmady
not-found-text = Beýle sahypa ýok ýa-da ol entek ýerleşdirilmedi.
back-to-events = Çärelere dolanyň

weekday-1 = duşenbe
weekday-2 = sişenbe
weekday-3 = çarşenbe
weekday-4 = penşenbe
weekday-5 = anna
weekday-6 = şenbe
weekday-7 = ýekşenbe
month-1 = ýanwar
month-2 = fewral
month-3 = mart
month-4 = aprel
month-5 = maý
month-6 = iýun
month-7 = iýul
month-8 = awgust
month-9 = sentýabr
month-10 = oktýabr
month-11 = noýabr
month-12 = dekabr
day-ordinal = { $day ->
    [6] { $day }-njy
    [9] { $day }-njy
    [10] { $day }-njy
    [16] { $day }-njy
    [19] { $day }-njy
    [26] { $day }-njy
    [29] { $day }-njy
    [30] { $day }-njy
   *[other] { $day }-nji
}
from-ordinal = { $from ->
    [6] { $from }-njy
    [9] { $from }-njy
    [10] { $from }-njy
    [16] { $from }-njy
    [19] { $from }-njy
    [26] { $from }-njy
    [29] { $from }-njy
    [30] { $from }-njy
   *[other] { $from }-nji
}
date-long = { day-ordinal } { $month } { $year } ý., { $weekday }
date-short = { day-ordinal } { $month } { $year } ý.
date-range-days = { $from }–{ day-ordinal } { $month } { $year } ý.
date-range-months = { from-ordinal } { $from_month } – { day-ordinal } { $month } { $year } ý.
date-range = { $from } – { $to }

session-kind = Görnüşi
session-kind-keynote = Esasy çykyş
session-kind-talk = Çykyş
session-kind-panel = Panel maslahaty
session-kind-workshop = Amaly okuw
session-kind-training = Okuw kursy
session-kind-ceremony = Dabara
session-kind-break = Arakesme
session-kind-networking = Tanyşlyk duşuşygy
session-seats = Orunlar
seats-left = Boş orun: { $count }
seats-full = Boş orun ýok
session-add-to-calendar = Senenamaňyza goşuň (.ics)
event-speakers-link = Çykyş edijiler
speakers-title = Çykyş edijiler
speakers-empty = Çykyş edijiler entek yglan edilmedi.
speaker-sessions = Mejlisler
speaker-no-sessions = Entek açyk mejlis ýok.
speaker-add-to-calendar = Bu mejlisleri senenamaňyza goşuň (.ics)

register-title = Hasaba alyş
register-about-you = Siziň barada
register-sessions = Orunlary çäkli mejlisler
register-sessions-hint = Gatnaşmak isleýän mejlisleriňizi saýlaň. Boş orun ýok bolsa, garaşyş sanawyna goşularsyňyz.
register-session-waitlist = garaşyş sanawyna goşularsyňyz
register-submit = Hasaba duruň
form-required = hökmany
form-error-title = Aşakdakylary düzediň
field-full-name = Familiýaňyz we adyňyz
field-email = E-poçta salgyňyz
field-organization = Edara
field-position = Wezipe
field-country = Ýurt
field-country-choose = — saýlaň —
field-category = Gatnaşyş görnüşi
field-locale = Hatlarymyň dili
field-consent = Guramaçylaryň şahsy maglumatlarymy çäräni geçirmek üçin işlemegine razylyk berýärin.
category-delegate = Wekil
category-speaker = Çykyş ediji
category-press = Metbugat
category-observer = Synçy
category-organizer = Guramaçy
category-staff = Işgär
error-csrf = Bu formanyň möhleti geçdi ýa-da ol bu saýtdan iberilmedi. Aşakdaky maglumatlary barlap, formany täzeden iberiň.
error-email-taken = Bu e-poçta salgysy bu çärä eýýäm hasaba alyndy. Hasaba alşyňyzy görmek üçin size iberen hatymyzdaky salgyny açyň.
error-session-full = Saýlan mejlisiňizde boş orun ýok. Hiç zat üýtgedilmedi: häzirki mejlisleriňizi saklaň ýa-da garaşyş sanawyna goşulmak üçin hiç birinden ýüz öwürmän ony goşuň.
error-registration-closed = Bu çärä hasaba alyş ýapyk.
error-event-full = Çärede boş orun ýok we garaşyş sanawy alnyp barylmaýar.
error-registration-ended = Bu hasaba alyş ýatyryldy ýa-da kabul edilmedi; täzeden hasaba duruň.
error-field-full-name = Familiýaňyzy we adyňyzy bir setirde ýazyň (iň köp 200 belgi, görünmeýän ugur we nol giňlikli belgilersiz).
error-field-email = E-poçta salgyňyzy ýazyň, meselem name@example.org.
error-field-organization = Edaranyň ady örän uzyn ýa-da setir geçişini ýa-da görünmeýän belgileri saklaýar.
error-field-position = Wezipe örän uzyn ýa-da dolandyryş belgilerini saklaýar.
error-field-country = Sanawdan ýurdy saýlaň.
error-field-category = Görkezilen gatnaşyş görnüşleriniň birini saýlaň.
error-field-session-ids = Bu mejlisleri bile saýlap bolmaýar: käbiri wagt boýunça gabat gelýär ýa-da indi geçirilmeýär.
error-field-locale = Görkezilen dilleriň birini saýlaň.
error-field-consent = Guramaçylaryň maglumatlaryňyzy işlemegine razylygyňyzy belläň.

me-title = Meniň hasaba alşym
me-done-sessions = Mejlisleriňiz ýatda saklandy.
me-done-language = Hatlaryňyzyň dili ýatda saklandy.
me-done-calendar = Senenama salgyňyz çalşyryldy. Köne salgy indi işlemeýär.
me-done-cancelled = Hasaba alşyňyz ýatyryldy.
me-status-confirmed = Hasaba alşyňyz tassyklandy.
me-status-waitlisted = Siz garaşyş sanawynda. Sanawdaky ýeriňiz: { $place }.
me-status-pending = Arzaňyz alyndy; guramaçylar ony tassyklarlar.
me-status-rejected = Arzaňyz kabul edilmedi.
me-status-cancelled = Hasaba alşyňyz ýatyryldy.
me-badge = Meniň gatnaşyjy nyşanym
me-badge-hint = Bu gatnaşyjy nyşanyny girelgede kagyza çykarylan görnüşde ýa-da telefonyňyzda görkeziň.
me-badge-alt = QR kodly gatnaşyjy nyşanyňyz
me-badge-png = PNG görnüşinde ýükläň
me-badge-svg = SVG görnüşinde ýükläň
me-badge-print = Nyşany çap ediň
me-sessions = Meniň mejlislerim
me-sessions-change = Mejlisleriňizi saýlaň
me-sessions-save = Mejlisleri ýatda saklaň
me-session-confirmed = orun tassyklandy
me-session-waitlisted = garaşyş sanawy, sanawdaky ýeriňiz: { $place }
me-session-pending = tassyklanmagyna garaşylýar
me-calendar = Meniň senenamam
me-calendar-hint = Öz maksatnamaňyza ýazylyň: mejlisleriňiz üýtgände, ol hem täzelenýär.
me-calendar-replace-hint = Senenama salgyňyz başga biriniň eline düşen bolsa, ony çalşyň: köne salgy mundan beýläk işlemez.
me-calendar-replace = Senenama salgyňyzy çalşyň
me-language = Hatlarymyň dili
me-language-save = Dili ýatda saklaň
me-cancel = Hasaba alşyňyzy ýatyrmak
me-cancel-button = Hasaba alşyňyzy ýatyryň…
me-cancel-question = Hasaba alşyňyzy hakykatdan hem ýatyrmak isleýärsiňizmi? Orunlaryňyz garaşyş sanawyndaky indiki adamlara geçer.
me-cancel-confirm = Hawa, hasaba alşymy ýatyryň
me-cancel-keep = Ýok, galdyryň
me-device = Bu enjam
me-device-hint = Umumy kompýuterden peýdalanýan bolsaňyz, bu brauzer hasaba alşyňyzy ýatdan çykarsyn.
me-device-forget = Bu enjamda meni ýatdan çykaryň
me-help-text = Hasaba alşyňyzy görmek üçin hasaba duranyňyzda size iberen hatymyzdaky salgyny açyň.
me-help-lost = Hat ýitdimi? Çäräňiziň guramaçylaryndan ony täzeden ibermegini haýyş ediň.
me-switch-title = Başga bir hasaba alyşy açmalymy?
me-switch-holds = Bu brauzerde açyk duran hasaba alyş:
me-switch-linked = Geçen salgyňyz şu hasaba alyşy açýar:
me-switch-open-linked = Salgydaky hasaba alyşy açyň
me-switch-keep = Häzirkisini galdyryň

mail-greeting = Hormatly { $name }!
mail-greeting-anonymous = Hormatly gatnaşyjy!
mail-link-intro = Hasaba alşyňyzy görmek ýa-da üýtgetmek, gatnaşyjy nyşanyňyzy ýükläp almak we mejlisleriňizi senenamaňyza goşmak üçin:
mail-link-label = Meniň hasaba alşym
mail-footer = Bu hat Dialogue ulgamy tarapyndan awtomatik usulda iberildi. Jogap hatlary okalmaýar; çäräňiziň guramaçylaryna ýazyň.
mail-was = Öň
mail-now = Indi
mail-time = Wagty
mail-room = Zal
mail-attached-badge = Gatnaşyjy nyşanyňyz hata goşuldy: ony girelgede kagyza çykarylan görnüşde ýa-da telefonyňyzda görkeziň. Mejlisleriňiz hata goşulan senenama faýlynda.
mail-subject-confirmed = Hasaba alyş tassyklandy: { $event }
mail-body-confirmed = „{ $event }“ çäresine hasaba alşyňyz tassyklandy.
mail-subject-waitlisted = Garaşyş sanawynda: { $event }
mail-body-waitlisted = „{ $event }“ çäresinde boş orun ýok, şonuň üçin hasaba alşyňyz garaşyş sanawynda. Orun boşan badyna size ýazarys.
mail-subject-pending = Arza alyndy: { $event }
mail-body-pending = „{ $event }“ çäresine arzaňyzy aldyk. Guramaçylar her arzany tassyklaýarlar; karar kabul edilende size ýazarys.
mail-subject-promoted = Orun siziňki: { $event }
mail-body-promoted = „{ $event }“ çäresinde orun boşady we ol siziňki: hasaba alşyňyz tassyklandy.
mail-subject-session-seat-given = Orun siziňki: { $session }
mail-body-session-seat-given = „{ $event }“ çäresiniň „{ $session }“ mejlisinde orun boşady we ol siziňki.
mail-subject-approved = Arza kabul edildi: { $event }
mail-body-approved = Guramaçylar „{ $event }“ çäresine arzaňyzy kabul etdiler. Hasaba alşyňyz tassyklandy.
mail-subject-approved-waitlisted = Arza kabul edildi, garaşyş sanawynda: { $event }
mail-body-approved-waitlisted = Guramaçylar „{ $event }“ çäresine arzaňyzy kabul etdiler. Boş orun ýok, şonuň üçin siz garaşyş sanawynda; orun boşan badyna size ýazarys.
mail-subject-rejected = Arza kabul edilmedi: { $event }
mail-body-rejected = Gynansak-da, guramaçylar „{ $event }“ çäresine arzaňyzy kabul edip bilmediler.
mail-subject-cancelled = Hasaba alyş ýatyryldy: { $event }
mail-body-cancelled = „{ $event }“ çäresine hasaba alşyňyz ýatyryldy. Bu ýalňyşlyk bolsa, hasaba alyş açyk wagty täzeden hasaba durup bilersiňiz.
mail-subject-session-moved = Täze wagt: { $session }
mail-body-session-moved = „{ $event }“ çäresinde saýlan mejlisiňiz başga wagta geçirildi. Täzelenen senenama ýazgysy goşulan.
mail-subject-session-reroomed = Täze zal: { $session }
mail-body-session-reroomed = „{ $event }“ çäresinde saýlan mejlisiňiz başga zala geçirildi. Täzelenen senenama ýazgysy goşulan.
mail-subject-session-cancelled = Ýatyryldy: { $session }
mail-body-session-cancelled = „{ $event }“ çäresinde saýlan mejlisiňiz ýatyryldy. Goşulan senenama ýazgysy ony senenamaňyzdan aýyrar.
mail-subject-test = Dialogue: synag haty
mail-body-test = Bu Dialogue ulgamyndan iberilen synag haty. Ony okaýan bolsaňyz, e-poçta dogry sazlanypdyr.

scan-title = Girelgede bellige almak
scan-pair-help = Bu skaner entek birikdirilmedi.
scan-pair-how = Guramaçylaryň berjek birikdiriş salgysyny açyň (/scan#token=…&event=… görnüşinde) ýa-da onuň QR koduny şu telefon bilen skanirläň. Skaner ony siz çykýança şu enjamda saklaýar.
scan-event = Çäre
scan-door = Gapy
scan-door-venue = Baş girelge
scan-direction = Ugur
scan-entry = Giriş
scan-exit = Çykyş
scan-mute = Sesi öçüriň
scan-code = Gatnaşyjy nyşanynyň kody (USB ýa-da Bluetooth skaneri ony şu ýere ýazýar)
scan-check = Barlaň
scan-ready = Taýýar: gatnaşyjy nyşanyny skanirläň.
scan-checked-in-today = Şu gün girenler
scan-confirmed = Tassyklananlar
scan-inside = Häzir içerde
scan-lookup = Gatnaşyjyny ady ýa-da edarasy boýunça gözläň
scan-search = Gözläň
scan-no-match = Hiç kim tapylmady.
scan-in-today = şu gün girdi
scan-sign-out = Bu skaneri aýryň
scan-first-in = Ilkinji giriş wagty: { $time }.
scan-result-ok = Hoş geldiňiz
scan-result-already-checked-in = Eýýäm girdi
scan-result-invalid = Nyşan hakyky däl
scan-result-revoked = Nyşan ýatyryldy
scan-result-not-confirmed = Hasaba alyş tassyklanmadyk
scan-result-wrong-event = Başga çäräniň nyşany
scan-result-not-registered-for-session = Bu mejlise ýazylmadyk
scan-result-nonce-reused = Skaneriň ýalňyşlygy: gaýtalanan skan belgisi. Täzeden skanirläň
scan-result-queued = Goýberildi (tor ýok; soňra iberiler)
scan-result-error = Jogap ýok: tory barlap, täzeden skanirläň
scan-result-unpaired = Bu skaneriň belgisi indi işlemeýär: ony täzeden birikdiriň
scan-status-confirmed = tassyklandy
scan-status-waitlisted = garaşyş sanawynda
scan-status-pending = tassyklanmagyna garaşylýar
scan-status-rejected = kabul edilmedi
scan-status-cancelled = ýatyryldy
scan-waiting = Iberilmegine garaşýar
scan-last-upload = Soňky iberiş
scan-never = entek bolmady
scan-camera-start = Kamera bilen skanirläň
scan-camera-stop = Kamerany öçüriň
scan-camera-choice = Kamera
scan-torch = Fonar
scan-camera-denied = Kamera açylmady: bu sahypa üçin oňa rugsat beriň ýa-da skaneri ulanyň, ýa-da kody ýazyň.
scan-repair-question = Bu salgy skaneri başga bir tokeniň üsti bilen täzeden baglar. Häzirki baglanyşygy çalyşmalymy?
scan-repair-current = Häzir baglanan
scan-repair-offered = Salgydaky
scan-repair-yes = Baglanyşygy çalyşyň
scan-repair-no = Häzirki baglanyşygy saklaň
