site-name = Диалог
skip-to-content = Перейти к содержанию
nav-events = Мероприятия
language-switch = Язык
lang-tk = Türkmençe
lang-ru = Русский
lang-en = English
times-in-zone = Время указано по часовому поясу мероприятия: { $zone }.

index-title = Мероприятия
index-lead = Семинары, учебные курсы и межрегиональный диалог по цифровому сотрудничеству.
index-upcoming = Предстоящие
index-past = Прошедшие
index-empty = Опубликованных мероприятий пока нет.

event-dates = Даты
event-venue = Место проведения
event-languages = Языки
event-capacity = Места
event-capacity-unlimited = Без ограничений
event-status-cancelled = Мероприятие отменено.
event-register = Зарегистрироваться
event-registration = Регистрация
registration-open = Регистрация открыта.
registration-approval = Регистрация открыта; организаторы подтверждают каждую заявку.
registration-closed = Регистрация закрыта.
registration-not-yet = Регистрация откроется { $date }.
registration-ended = Регистрация закрылась { $date }.
event-agenda = Программа
event-agenda-link = Посмотреть программу
subscribe-title = Добавить программу в календарь
subscribe-webcal = Подписаться в приложении календаря
subscribe-google = Добавить в Google Календарь
subscribe-copy = Адрес календаря для копирования

agenda-title = Программа
agenda-filters = Отбор сессий
filter-day = День
filter-track = Направление
filter-room = Зал
filter-language = Язык сессии
filter-any = Все
filter-apply = Показать
filter-reset = Показать всё
agenda-empty = Нет сессий, подходящих под этот отбор.
agenda-session-count = { $count ->
    [one] { $count } сессия
    [few] { $count } сессии
   *[many] { $count } сессий
}
session-time = Время
session-room = Зал
session-track = Направление
session-speakers = Докладчики
session-language = Язык
session-cancelled = Отменена

not-found-title = Страница не найдена
not-found-text = Такой страницы нет, или она ещё не опубликована.
back-to-events = Вернуться к мероприятиям

weekday-1 = понедельник
weekday-2 = вторник
weekday-3 = среда
weekday-4 = четверг
weekday-5 = пятница
weekday-6 = суббота
weekday-7 = воскресенье
month-1 = января
month-2 = февраля
month-3 = марта
month-4 = апреля
month-5 = мая
month-6 = июня
month-7 = июля
month-8 = августа
month-9 = сентября
month-10 = октября
month-11 = ноября
month-12 = декабря
date-long = { $weekday }, { $day } { $month } { $year } г.
date-short = { $day } { $month } { $year } г.
