"""send_return_reminders: editors of partners whose return is due within a week or late."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from programmes.models import ReminderLog, Return
from programmes.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

# 2019/20 Q1 ends on 30 June 2019; with 30 days it is due on 30 July 2019.
DUE = datetime.date(2019, 7, 30)


@pytest.fixture
def setup(settings):
    settings.RETURN_DUE_DAYS = 30
    settings.RETURN_REMINDER_LATE_DAYS = 60
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    f.quarter_period(2019, 1)
    fsu = f.partner(name="Family Safety Unit")
    f.metric(partner=fsu)
    editors = [
        f.user(Role.PARTNER_EDITOR, partners=(fsu,), email="a@fsu.example"),
        f.user(Role.PARTNER_EDITOR, partners=(fsu,), email="b@fsu.example"),
    ]
    done = f.partner(name="Police")
    f.metric(partner=done)
    f.user(Role.PARTNER_EDITOR, partners=(done,), email="p@police.example")
    f.submit(f.report_return(partner=done, period=f.quarter_period(2019, 1)))
    return {"fsu": fsu, "editors": editors}


def run(day: datetime.date) -> str:
    out = StringIO()
    call_command("send_return_reminders", date=day.isoformat(), stdout=out)
    return out.getvalue()


def test_nothing_is_sent_more_than_a_week_before_the_due_date(setup):
    run(DUE - datetime.timedelta(days=8))
    assert mail.outbox == []


def test_editors_are_reminded_a_week_before_and_only_once_a_day(setup):
    output = run(DUE - datetime.timedelta(days=7))
    assert sorted(m.to[0] for m in mail.outbox) == ["a@fsu.example", "b@fsu.example"]
    assert "is due on 30 July 2019" in mail.outbox[0].subject
    assert "1 reminder(s) sent." in output
    run(DUE - datetime.timedelta(days=7))
    assert len(mail.outbox) == 2
    assert ReminderLog.objects.count() == 1


def test_a_late_return_is_reminded_again_the_next_day(setup):
    run(DUE + datetime.timedelta(days=1))
    run(DUE + datetime.timedelta(days=2))
    assert len(mail.outbox) == 4
    assert "late" in mail.outbox[-1].subject
    assert "was due on 30 July 2019" in mail.outbox[-1].body


def test_a_submitted_return_is_not_reminded(setup):
    run(DUE + datetime.timedelta(days=1))
    assert not any("police" in m.to[0] for m in mail.outbox)
    f.submit(
        Return.objects.get_or_create(partner=setup["fsu"], period=f.quarter_period(2019, 1))[0]
    )
    mail.outbox.clear()
    run(DUE + datetime.timedelta(days=2))
    assert mail.outbox == []


def test_reminders_stop_after_the_late_window(setup):
    run(DUE + datetime.timedelta(days=61))
    assert mail.outbox == []


def test_a_bad_date_is_refused_with_the_option_named():
    with pytest.raises(CommandError, match="--date"):
        call_command("send_return_reminders", date="30/07/2019")
