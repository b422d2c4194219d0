//! The demo programme's texts in Turkmen and Russian, keyed by their English text (the
//! demo's default language). Turkmen in Latin script, Russian in Cyrillic.

/// (English, Turkmen, Russian)
pub const TEXTS: &[(&str, &str, &str)] = &[
    (
        "Interregional Dialogue on Digital Cooperation",
        "Sanly hyzmatdaşlyk boýunça sebitara dialog",
        "Межрегиональный диалог по цифровому сотрудничеству",
    ),
    (
        "Two days of plenaries, panels and workshops for government offices, international \
         partners and IT specialists: cybersecurity, digital public and banking services, digital \
         legislation and AI in public administration. Interpretation: Turkmen, Russian, English.",
        "Döwlet edaralary, halkara hyzmatdaşlar we IT hünärmenleri üçin iki günlük umumy \
         mejlisler, panel mejlisleri we amaly okuwlar: kiberhowpsuzlyk, sanly döwlet we bank \
         hyzmatlary, sanly kanunçylyk hem-de döwlet dolandyryşynda emeli aň. Sinhron terjime: \
         türkmen, rus we iňlis dilleri.",
        "Два дня пленарных заседаний, панельных дискуссий и практических семинаров для \
         государственных ведомств, международных партнёров и ИТ-специалистов: кибербезопасность, \
         цифровые государственные и банковские услуги, цифровое законодательство и ИИ в \
         государственном управлении. Синхронный перевод: туркменский, русский и английский языки.",
    ),
    (
        "Congress Centre, Hall of Dialogue",
        "Kongresler merkezi, Dialog zaly",
        "Конгресс-центр, Зал диалога",
    ),
    ("Ashgabat", "Aşgabat", "Ашхабад"),
    (
        "Cybersecurity and critical infrastructure",
        "Kiberhowpsuzlyk we möhüm ähmiýetli infrastruktura",
        "Кибербезопасность и критическая инфраструктура",
    ),
    (
        "Protecting energy, transport, finance and government networks.",
        "Energetika, ulag, maliýe pudaklarynyň we döwlet edaralarynyň tor ulgamlaryny goramak.",
        "Защита сетей энергетики, транспорта, финансового сектора и государственных органов.",
    ),
    (
        "Digital public and banking services",
        "Sanly döwlet we bank hyzmatlary",
        "Цифровые государственные и банковские услуги",
    ),
    (
        "E-government portals, digital identity, payments and inclusion.",
        "Elektron hökümet portallary, sanly identifikasiýa, tölegler we hemmeler üçin \
         elýeterlilik.",
        "Порталы электронного правительства, цифровая идентификация, платежи и цифровая инклюзия.",
    ),
    (
        "Legislation and international digital conventions",
        "Kanunçylyk we sanly ulgam boýunça halkara konwensiýalar",
        "Законодательство и международные конвенции в цифровой сфере",
    ),
    (
        "Data protection, cybercrime conventions, cross-border data.",
        "Maglumatlary goramak, kiberjenaýatçylyk boýunça konwensiýalar, serhetara maglumat \
         akymlary.",
        "Защита данных, конвенции о киберпреступности, трансграничная передача данных.",
    ),
    (
        "AI in public administration",
        "Döwlet dolandyryşynda emeli aň",
        "Искусственный интеллект в государственном управлении",
    ),
    (
        "Responsible use of AI in ministries and public services.",
        "Ministrliklerde we döwlet hyzmatlarynda emeli aňy jogapkärli ulanmak.",
        "Ответственное использование ИИ в министерствах и при оказании государственных услуг.",
    ),
    ("Plenary Hall", "Umumy mejlis zaly", "Пленарный зал"),
    ("Hall A", "A zaly", "Зал А"),
    ("Hall B", "B zaly", "Зал В"),
    (
        "Workshop Room 1",
        "Amaly okuwlar otagy 1",
        "Зал для практических занятий 1",
    ),
    (
        "Deputy Director, Digital Services",
        "Sanly hyzmatlar boýunça direktoryň orunbasary",
        "Заместитель директора по цифровым услугам",
    ),
    (
        "State Centre for E-Government",
        "Elektron hökümet boýunça döwlet merkezi",
        "Государственный центр электронного правительства",
    ),
    (
        "Senior Cybersecurity Adviser",
        "Kiberhowpsuzlyk boýunça uly geňeşçi",
        "Старший советник по кибербезопасности",
    ),
    (
        "OSCE Programme Office",
        "ÝHHG-niň Maksatnamalar edarasy",
        "Программный офис ОБСЕ",
    ),
    (
        "Digital Governance Specialist",
        "Sanly dolandyryş boýunça hünärmen",
        "Специалист по цифровому управлению",
    ),
    (
        "UNDP Regional Hub",
        "BMG-niň Ösüş Maksatnamasynyň sebitleýin merkezi",
        "Региональный центр ПРООН",
    ),
    (
        "Programme Director",
        "Maksatnamalar boýunça direktor",
        "Директор по программам",
    ),
    (
        "e-Governance Academy",
        "Elektron dolandyryş akademiýasy",
        "Академия электронного управления",
    ),
    (
        "Head of Information Security",
        "Maglumat howpsuzlygy bölüminiň müdiri",
        "Руководитель отдела информационной безопасности",
    ),
    (
        "Central Bank Digital Office",
        "Merkezi bankyň Sanly edarasy",
        "Цифровой офис Центрального банка",
    ),
    (
        "Legal Counsel, ICT Law",
        "MKT hukugy boýunça ýuridiki geňeşçi",
        "Юрисконсульт по вопросам права в сфере ИКТ",
    ),
    (
        "UN Regional Commission",
        "BMG-niň Sebitleýin komissiýasy",
        "Региональная комиссия ООН",
    ),
    (
        "AI Lead",
        "Emeli aň ugry boýunça ýolbaşçy",
        "Руководитель направления искусственного интеллекта",
    ),
    (
        "Ministry of Digital Development",
        "Sanly ösüş ministrligi",
        "Министерство цифрового развития",
    ),
    (
        "Lecturer, Information Systems",
        "Maglumat ulgamlary kafedrasynyň mugallymy",
        "Преподаватель кафедры информационных систем",
    ),
    (
        "Institute of Telecommunications",
        "Telekommunikasiýalar instituty",
        "Институт телекоммуникаций",
    ),
    ("Opening ceremony", "Açylyş dabarasy", "Церемония открытия"),
    (
        "Welcome addresses by the hosts and international partners.",
        "Kabul ediji tarapyň we halkara hyzmatdaşlaryň gutlag çykyşlary.",
        "Приветственные выступления принимающей стороны и международных партнёров.",
    ),
    (
        "Keynote: Trust as the infrastructure of digital cooperation",
        "Esasy çykyş: ynam — sanly hyzmatdaşlygyň infrastrukturasy",
        "Основной доклад: доверие как инфраструктура цифрового сотрудничества",
    ),
    (
        "Why shared security baselines make cross-border services possible.",
        "Howpsuzlyk boýunça umumy esasy talaplar näme üçin serhetara hyzmatlary amala aşyrmaga \
         mümkinçilik berýär.",
        "Почему общие базовые требования безопасности делают возможными трансграничные услуги.",
    ),
    ("Coffee break", "Kofe arakesmesi", "Кофе-брейк"),
    (
        "Foyer, ground floor.",
        "Foýe, birinji gat.",
        "Фойе, первый этаж.",
    ),
    (
        "Panel: Protecting critical information infrastructure",
        "Panel mejlisi: möhüm ähmiýetli maglumat infrastrukturasyny goramak",
        "Панельная дискуссия: защита критической информационной инфраструктуры",
    ),
    (
        "Incident response, national CERTs and regional information sharing.",
        "Kiberhadysalara seslenmek, milli CERT gulluklary we sebit derejesinde maglumat alyşmak.",
        "Реагирование на инциденты, национальные CERT и региональный обмен информацией.",
    ),
    (
        "Digital identity for public and banking services",
        "Döwlet we bank hyzmatlary üçin sanly identifikasiýa",
        "Цифровая идентификация для государственных и банковских услуг",
    ),
    (
        "One login for citizens: from pilots to nationwide services.",
        "Raýatlar üçin ýeke-täk giriş: synag taslamalaryndan ýurt möçberindäki hyzmatlara çenli.",
        "Единый вход для граждан: от пилотных проектов к общенациональным сервисам.",
    ),
    (
        "Workshop: Tabletop exercise on a ransomware attack",
        "Amaly okuw: töleg talap edýän zyýanly programmanyň hüjümi boýunça ssenariý türgenleşigi",
        "Практикум: штабные учения по сценарию атаки программы-вымогателя",
    ),
    (
        "Hands-on exercise for CERT and ministry staff. Limited seats.",
        "CERT gulluklarynyň we ministrlikleriň işgärleri üçin amaly türgenleşik. Orunlaryň sany \
         çäkli.",
        "Практическое упражнение для сотрудников CERT и министерств. Количество мест ограничено.",
    ),
    ("Reception", "Kabul edişlik", "Приём"),
    (
        "Evening reception for delegates.",
        "Wekiller üçin agşamky kabul edişlik.",
        "Вечерний приём для делегатов.",
    ),
    (
        "Keynote: AI in public administration — benefits and safeguards",
        "Esasy çykyş: döwlet dolandyryşynda emeli aň — peýdalary we howpsuzlyk kepillikleri",
        "Основной доклад: ИИ в государственном управлении — преимущества и защитные механизмы",
    ),
    (
        "Lessons from ministries that put AI assistants into service.",
        "Emeli aň kömekçilerini ulanyşa girizen ministrlikleriň tejribesinden sapaklar.",
        "Уроки министерств, внедривших ИИ-ассистентов в работу.",
    ),
    (
        "Data protection law for digital services",
        "Sanly hyzmatlar ulgamynda maglumatlary goramak baradaky kanunçylyk",
        "Законодательство о защите данных в сфере цифровых услуг",
    ),
    (
        "Drafting proportionate rules for personal data in e-government.",
        "Elektron hökümet ulgamynda şahsy maglumatlar bilen işlemegiň deňölçegli düzgünlerini \
         işläp taýýarlamak.",
        "Разработка соразмерных правил обработки персональных данных в электронном правительстве.",
    ),
    (
        "Workshop: Writing an AI use policy for your ministry",
        "Amaly okuw: ministrligiňiz üçin emeli aňy ulanmak syýasatyny taýýarlamak",
        "Практикум: разработка политики использования ИИ для вашего министерства",
    ),
    (
        "Small-group drafting session with templates. Limited seats.",
        "Nusgalaryň esasynda kiçi toparlarda resminamalaryň taslamalaryny taýýarlamak. Orunlaryň \
         sany çäkli.",
        "Подготовка проектов документов по шаблонам в небольших группах. Количество мест \
         ограничено.",
    ),
    (
        "Closing plenary and Ashgabat communiqué",
        "Jemleýji umumy mejlis we Aşgabat kommýunikesi",
        "Заключительное пленарное заседание и Ашхабадское коммюнике",
    ),
    (
        "Conclusions of the tracks and next steps for regional cooperation.",
        "Tematik ugurlaryň netijeleri we sebitleýin hyzmatdaşlyk boýunça indiki ädimler.",
        "Итоги работы тематических направлений и дальнейшие шаги в региональном сотрудничестве.",
    ),
    (
        "Training course: Cybersecurity in Digital Government and AI in Public Administration",
        "Okuw kursy: sanly hökümetde kiberhowpsuzlyk we döwlet dolandyryşynda emeli aň",
        "Учебный курс: кибербезопасность в цифровом правительстве и искусственный интеллект в \
         государственном управлении",
    ),
    (
        "A four-day course for civil servants and IT specialists: two days on securing digital \
         government systems, two days on using AI in public administration.",
        "Döwlet gullukçylary we IT hünärmenleri üçin dört günlük kurs: iki güni sanly hökümet \
         ulgamlarynyň howpsuzlygyny üpjün etmäge, iki güni bolsa döwlet dolandyryşynda emeli aňy \
         ulanmaga bagyşlanýar.",
        "Четырёхдневный курс для государственных служащих и ИТ-специалистов: два дня посвящены \
         защите систем цифрового правительства, два дня — применению ИИ в государственном \
         управлении.",
    ),
    (
        "Training Centre, Institute of Telecommunications",
        "Okuw merkezi, Telekommunikasiýalar instituty",
        "Учебный центр, Институт телекоммуникаций",
    ),
    (
        "Cybersecurity in digital government",
        "Sanly hökümetde kiberhowpsuzlyk",
        "Кибербезопасность в цифровом правительстве",
    ),
    ("Classroom 1", "Okuw otagy 1", "Аудитория 1"),
    ("Computer Lab", "Kompýuter otagy", "Компьютерный класс"),
    (
        "Security Architect",
        "Howpsuzlyk arhitektory",
        "Архитектор по безопасности",
    ),
    (
        "AI Policy Researcher",
        "Emeli aň syýasaty boýunça barlagçy",
        "Исследователь политики в сфере искусственного интеллекта",
    ),
    (
        "Threat landscape for digital government",
        "Sanly hökümete abanýan howplaryň umumy ýagdaýy",
        "Ландшафт угроз для цифрового правительства",
    ),
    (
        "Actors, techniques and the systems they target.",
        "Hüjümçiler, olaryň usullary we nyşana alýan ulgamlary.",
        "Злоумышленники, их методы и системы, на которые они нацелены.",
    ),
    (
        "Lab: Hardening a citizen portal",
        "Laboratoriýa işi: raýatlar üçin portalyň goragyny berkitmek",
        "Лабораторная работа: усиление защиты портала для граждан",
    ),
    (
        "Hands-on configuration of web servers and identity providers.",
        "Web serwerlerini we identifikasiýa üpjün edijilerini amaly taýdan sazlamak.",
        "Практическая настройка веб-серверов и провайдеров идентификации.",
    ),
    (
        "Incident handling and reporting",
        "Kiberhadysalary dolandyrmak we olar barada habar bermek",
        "Обработка инцидентов и отчётность",
    ),
    (
        "Playbooks, escalation and cooperation with the national CERT.",
        "Hereket meýilnamalary, meseleleri ýokary derejä ýetirmek we milli CERT gullugy bilen \
         hyzmatdaşlyk.",
        "Сценарии реагирования, эскалация и взаимодействие с национальным CERT.",
    ),
    (
        "Lab: Detecting intrusions in logs",
        "Laboratoriýa işi: hasaba alyş žurnallarynda rugsatsyz girişleri ýüze çykarmak",
        "Лабораторная работа: обнаружение вторжений в журналах событий",
    ),
    (
        "Finding an attacker's traces in real logs.",
        "Hakyky žurnallarda hüjümçiniň yzlaryny tapmak.",
        "Поиск следов злоумышленника в реальных журналах событий.",
    ),
    (
        "AI fundamentals for public servants",
        "Döwlet gullukçylary üçin emeli aňyň esaslary",
        "Основы искусственного интеллекта для государственных служащих",
    ),
    (
        "What AI can and cannot do in administration.",
        "Emeli aň dolandyryş işinde näme edip bilýär we näme edip bilmeýär.",
        "Что ИИ может и чего не может в управленческой деятельности.",
    ),
    (
        "Lab: Document assistants in Turkmen and Russian",
        "Laboratoriýa işi: türkmen we rus dillerinde resminamalar bilen işlemek üçin kömekçiler",
        "Лабораторная работа: ассистенты для работы с документами на туркменском и русском языках",
    ),
    (
        "Building and evaluating a multilingual assistant for correspondence.",
        "Hat alyşmak üçin köpdilli kömekçini döretmek we ony bahalandyrmak.",
        "Создание и оценка многоязычного ассистента для работы с корреспонденцией.",
    ),
    (
        "Governance, ethics and procurement of AI",
        "Emeli aňyň dolandyrylyşy, etikasy we satyn alnyşy",
        "Управление, этика и закупки в сфере ИИ",
    ),
    (
        "Risk assessment, transparency and buying AI responsibly.",
        "Töwekgelçilikleri bahalandyrmak, açyklyk we emeli aňy jogapkärli satyn almak.",
        "Оценка рисков, прозрачность и ответственная закупка ИИ.",
    ),
    (
        "Certificates and closing",
        "Şahadatnamalar we kursuň ýapylyşy",
        "Сертификаты и закрытие курса",
    ),
    (
        "Presentation of course certificates.",
        "Kurs şahadatnamalaryny gowşurmak.",
        "Вручение сертификатов о прохождении курса.",
    ),
    (
        "Digital services: access for every citizen",
        "Sanly hyzmatlar: raýatlar üçin elýeterlilik",
        "Цифровые услуги: доступность для каждого гражданина",
    ),
    (
        "Making digital public services accessible to every citizen.",
        "Sanly döwlet hyzmatlaryny ähli raýatlar üçin elýeterli etmek.",
        "Как сделать цифровые государственные услуги доступными для каждого гражданина.",
    ),
    (
        "International conventions in the digital sphere",
        "Sanly ulgamda halkara konwensiýalar",
        "Международные конвенции в цифровой сфере",
    ),
    (
        "Conventions on cybercrime and cross-border data transfer: the region's experience.",
        "Kiberjenaýatçylyk we serhetara maglumat geçirmek baradaky konwensiýalar: sebitiň \
         tejribesi.",
        "Конвенции о киберпреступности и трансграничной передаче данных: опыт региона.",
    ),
    (
        "Responsible use of AI in government bodies.",
        "Döwlet edaralarynda emeli aňy jogapkärli ulanmak.",
        "Ответственное использование ИИ в государственных органах.",
    ),
];
