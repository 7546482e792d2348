"""The digest figures for two real exports, imported by the import engine, against known check figures.

The check figures are counted straight from the files: for the IBM sample, an invoice
is open when InvoiceDate <= as-of < SettledDate; for the Chinese billing file, a bill
is open when its 未收金额 (amount outstanding) is above zero.
"""

from datetime import date
from decimal import Decimal

import pytest

from bot.aging import Bucket
from bot.digest.blocks import build_digest_blocks
from bot.digest.data import gather_digest
from bot.i18n import get_translator
from bot.importer import BlankBalance, Field, ImportOptions, import_files
from bot.jobs.digest import ChannelOutcome, run_digest
from bot.workdays import WorkdayCalendar
from tests.slack_standin import SlackStandIn

pytestmark = pytest.mark.realdata

IBM_AS_OF = date(2013, 6, 30)
CN_AS_OF = date(2019, 5, 31)

IBM_OPTIONS = ImportOptions(constants=((Field.CURRENCY, "USD"),))
# The Chinese file has no customer or invoice-number column: 销售 is a unique row key, and
# 开票日期 has no year. Bills with a blank 未收金额 and nothing paid are not invoiced yet,
# so they are kept as drafts, as the file's own outstanding column treats them.
CN_OPTIONS = ImportOptions(
    constants=((Field.CURRENCY, "CNY"), (Field.CUSTOMER_CODE, "CN-BILLING")),
    column_map=((Field.INVOICE_NUMBER, "销售"),),
    ignore=("销售", "开票日期"),
    blank_balance=BlankBalance.DRAFT,
)


@pytest.fixture
def standin():
    with SlackStandIn() as slack:
        yield slack


@pytest.fixture
def services(shared_data, database_url, make_services, standin):
    return make_services(
        database_url,
        slack_bot_token="xoxb-test",
        slack_signing_secret="signing-secret",
        slack_api_url=standin.api_url,
        ARREARS_DIGEST_CHANNELS="C0DIGEST",
    )


def _import_ibm(services, shared_data) -> None:
    import_files(services, [shared_data / "ibm_wa_accounts_receivable.csv"], IBM_OPTIONS)


def _import_cn(services, shared_data) -> None:
    import_files(services, [shared_data / "cn_billing_receivables.xls"], CN_OPTIONS)


def _bucket_figures(aging) -> dict[Bucket, tuple[int, Decimal]]:
    return {total.bucket: (total.count, total.amount) for total in aging.buckets if total.count}


def test_digest_ibm_figures_as_of_2013_06_30(services, shared_data):
    _import_ibm(services, shared_data)
    with services.sessions() as session:
        data = gather_digest(session, IBM_AS_OF)

    usd = data.summary.for_currency("USD")
    assert usd.outstanding_count == 84
    assert usd.outstanding == Decimal("5119.85")
    assert _bucket_figures(usd) == {
        Bucket.NOT_DUE: (72, Decimal("4284.29")),
        Bucket.DAYS_1_30: (12, Decimal("835.56")),
    }
    assert usd.overdue_count == 12
    assert usd.credits == 0


def test_digest_cn_figures_as_of_2019_05_31(services, shared_data):
    _import_ibm(services, shared_data)
    _import_cn(services, shared_data)
    with services.sessions() as session:
        data = gather_digest(session, CN_AS_OF)

    cny = data.summary.for_currency("CNY")
    assert _bucket_figures(cny) == {
        Bucket.NOT_DUE: (556, Decimal("19673221.28")),
        Bucket.DAYS_1_30: (16, Decimal("429150.76")),
        Bucket.DAYS_31_60: (38, Decimal("1725756.00")),
        Bucket.DAYS_61_90: (16, Decimal("477357.00")),
        Bucket.OVER_90: (23, Decimal("1164539.10")),
    }
    assert cny.outstanding_count == 649
    assert cny.outstanding == Decimal("23470024.14")
    assert cny.overdue_count == 93
    # Every IBM invoice was settled by 2014, so only the Chinese bills are open in 2019.
    assert [aging.currency for aging in data.summary.currencies] == ["CNY"]


def test_digest_cn_blocks_zh_cn(services, shared_data):
    _import_cn(services, shared_data)
    with services.sessions() as session:
        data = gather_digest(session, CN_AS_OF)
    text = str(build_digest_blocks(data, get_translator("zh_CN")))

    assert "¥23,470,024.14" in text
    assert "¥19,673,221.28" in text
    assert "¥1,164,539.10" in text


def test_digest_job_posts_ibm_figures(services, standin, shared_data):
    _import_ibm(services, shared_data)
    result = run_digest(services, as_of=IBM_AS_OF, calendar=WorkdayCalendar(), echo=lambda _text: None)

    assert [item.outcome for item in result.channels] == [ChannelOutcome.POSTED]
    [message] = standin.messages_in("C0DIGEST")
    assert "$5,119.85" in str(message.blocks)
    assert "$835.56" in message.text
