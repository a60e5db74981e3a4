"""Email, WhatsApp and SMS exports of the bulk world (SendGrid, WhatsApp Cloud API, Twilio).

Same fields, vocabularies and text formats as the demo renderers in
`jornada_gen.sources.sendgrid`, `.whatsapp` and `.twilio` (their column lists
and constants are reused); one message fans out into its events with a join
on a small range of event slots, kept in the order they happen.
"""

from __future__ import annotations

import random

from jornada_gen.bulk.export import BulkTable, Defect, Window
from jornada_gen.bulk.plan import WorldPlan
from jornada_gen.bulk.sqlkit import lit, lst
from jornada_gen.bulk.world import REPLY_TEXTS
from jornada_gen.sources import sendgrid, twilio, whatsapp

DAY = 86_400
MESSAGE_SPREAD = 10 * DAY  # every event of a message happens within 10 days of its send

VARIANT = "case when m.is_b then 'B' else 'A' end"


def _sendgrid() -> BulkTable:
    event = (
        "['dropped', 'processed', 'bounce', 'deferred', 'delivered', 'open', 'open', 'click', 'click', "
        "case when u(mk, 82) < 0.5 then 'group_unsubscribe' else 'unsubscribe' end, 'spamreport'][slot + 1]"
    )
    hard = "outcome = 'bounce_hard'"
    key = "mk * 16 + slot"

    def query(window: Window) -> str:
        return f"""
            select
                email,
                __at::VARCHAR as "timestamp",
                smtp_id,
                {event} as event,
                category,
                {_ident(key, 83)} as sg_event_id,
                sg_message_id,
                case slot when 3 then '400 try again later' when 4 then '250 2.0.0 OK' end as response,
                case when slot = 3 then '1' end as attempt,
                case slot when 0 then 'Bounced Address'
                    when 2 then case when {hard}
                        then '550 5.1.1 The email account that you tried to reach does not exist.'
                        else '452 4.2.2 The email account that you tried to reach is over quota.' end
                end as reason,
                case slot when 0 then '5.0.0' when 2 then case when {hard} then '5.1.1' else '4.2.2' end end as status,
                case when slot = 2 then case when {hard} then 'bounce' else 'blocked' end end as "type",
                case when slot = 2 then case when {hard} then 'Invalid Address' else 'Mailbox Unavailable' end
                end as bounce_classification,
                case when slot in (7, 8) then click_url end as url,
                case when slot between 5 and 8 then pick({lst(sendgrid.USER_AGENTS)}, {key}, 85) end as useragent,
                case when slot = 4 then '168.245.12.10' when slot in (5, 6) then open_ip end as ip,
                case when slot = 4 then '1' end as tls,
                case when slot in (5, 6) then case when machine_open then 'true' else 'false' end end
                    as sg_machine_open,
                '21107' as asm_group_id,
                campaign_id,
                ab_variant,
                __at,
                {key} as __k
            from (
                select
                    m.*,
                    s.slot,
                    case s.slot when 0 then sent_at when 1 then sent_at when 2 then sent_at + 2 + rint(mk, 50, 58)
                        when 3 then sent_at + 30 when 4 then delivered_at when 5 then open1
                        when 6 then open2 when 7 then click1 when 8 then click2 when 9 then unsub_at
                        else spam_at end as __at
                from (
                    select
                        m.mk, m.outcome, m.deferred, m.sent_at, m.delivered_at, m.open1, m.open2, m.click1, m.click2,
                        m.unsub_at, m.spam_at, m.machine_open,
                        email_as(p.email, p.variants, m.mk, 80) as email,
                        '<m' || m.mk::VARCHAR || '.' || lower(to_hex((h(m.mk, 81) >> 32) | 2147483648))
                            || '@ismtpd0001p1gru1.sendgrid.net>' as smtp_id,
                        'm' || m.mk::VARCHAR || '.filterdrecv-' || lower(to_hex((h(m.mk, 84) >> 40) | 8388608))
                            || '-1-0' as sg_message_id,
                        c.category,
                        c.campaign_id,
                        {VARIANT} as ab_variant,
                        'https://jornadacafe.com.br/ofertas?utm_source=email&utm_medium=email&utm_campaign='
                            || c.campaign_id as click_url,
                        '177.' || rint(m.mk, 86, 256)::VARCHAR || '.' || rint(m.mk, 87, 256)::VARCHAR || '.1' as open_ip
                    from messages as m
                    join persons as p on p.key = m.person
                    join campaigns as c on c.n = m.n
                    where m.channel = 'email' and {window.where("m.sent_at", MESSAGE_SPREAD)}
                ) as m, range(0, 11) as s(slot)
                where case s.slot
                    when 0 then outcome = 'dropped'
                    when 1 then outcome <> 'dropped'
                    when 2 then outcome in ('bounce_hard', 'bounce_soft')
                    when 3 then deferred
                    else true end
            )
            where __at is not null
        """

    return BulkTable(
        "sendgrid",
        "events",
        tuple(sendgrid.COLUMNS),
        query,
        key=("sg_event_id",),
        redeliver=0.004,
        overlap=0.25,
        defects=(
            Defect("unparseable_timestamp", 4, {"sg_event_id": _fresh_ident(88), "timestamp": "'1.7e9x'"}),
            Defect("unknown_status", 3, {"sg_event_id": _fresh_ident(88), "event": "'opened'"}),
            Defect("missing_id", 5, {"sg_event_id": "NULL"}),
        ),
    )


def _ident(key: str, salt: int) -> str:
    """A 22-character id, unique per key (< 2**44): 10 hex characters of hash, then the key in 12 (first '1')."""
    return f"to_hex((h({key}, {salt}) >> 24) | 549755813888) || to_hex({key} + 17592186044416)"


def _fresh_ident(salt: int) -> str:
    """Ids for malformed copies, never equal to an `_ident` (their 11th character is 'F', not '1')."""
    return f"to_hex((h(__k, {salt}) >> 24) | 549755813888) || to_hex(__k % 17592186044416 + 263882790666240)"


def _wamid(key: str, salt: int) -> str:
    """A Cloud API message id: `wamid.HBgM` and 28 characters, unique per key (< 2**44)."""
    return f"'wamid.HBgM' || to_hex(h({key}, {salt}) | 9223372036854775808) || to_hex({key} + 17592186044416)"


def _whatsapp() -> list[BulkTable]:
    errors = whatsapp.ERRORS
    codes = sorted(errors)

    def error_field(index: int) -> str:
        whens = " ".join(f"when {lit(c)} then {lit(errors[c][index])}" for c in codes)
        return f"case error_code {whens} end"

    priced = "(slot in (1, 2) or (slot = 3 and not has_delivered))"
    metadata = (
        f"{lit(whatsapp.DISPLAY_PHONE_NUMBER)} as metadata__display_phone_number, "
        f"{lit(whatsapp.PHONE_NUMBER_ID)} as metadata__phone_number_id"
    )
    per_message = f"""
        m.mk, m.outcome, m.sent_at, m.delivered_at, m.open1, m.reply_at, m.reply_kind,
        {_wamid("m.mk", 93)} as message_id,
        wa_id(p.area, p.num8, p.old_wa) as wa_id,
        p.first_name, p.last_name
    """

    def statuses(window: Window) -> str:
        return f"""
            select
                message_id as id,
                ['failed', 'sent', 'delivered', 'read'][slot + 1] as status,
                __at::VARCHAR as "timestamp",
                wa_id as recipient_id,
                callback as biz_opaque_callback_data,
                case when {priced} then conversation end as conversation__id,
                case when slot = 1 then ((sent_at + 86400) // 60 * 60)::VARCHAR end
                    as conversation__expiration_timestamp,
                case when {priced} then 'marketing' end as conversation__origin__type,
                case when {priced} then 'true' end as pricing__billable,
                case when {priced} then 'CBP' end as pricing__pricing_model,
                case when {priced} then 'marketing' end as pricing__category,
                case when slot = 0 then error_code end as errors__code,
                case when slot = 0 then {error_field(0)} end as errors__title,
                case when slot = 0 then {error_field(0)} end as errors__message,
                case when slot = 0 then {error_field(1)} end as errors__error_data__details,
                {metadata},
                __at,
                mk * 4 + slot as __k
            from (
                select
                    m.*,
                    s.slot,
                    case s.slot
                        when 0 then sent_at + 1 + rint(mk, 91, 29)
                        when 1 then sent_at + rint(mk, 92, 3)
                        when 2 then case when open1 is not null and u(mk, 90) < 0.08 then open1 else delivered_at end
                        else open1 end as __at
                from (
                    select
                        {per_message},
                        not (m.open1 is not null and u(m.mk, 90) < 0.05) as has_delivered,
                        'campaign_id=' || c.campaign_id || ';ab_variant=' || {VARIANT} as callback,
                        lower(to_hex(h(m.mk, 94) | 9223372036854775808) || to_hex(m.mk + 1152921504606846976))
                            as conversation,
                        case when m.outcome <> 'failed' then NULL when p.marketing_paused then '131050'
                            when u(m.mk, 98) < 0.8 then '131026' else '131049' end as error_code
                    from messages as m
                    join persons as p on p.key = m.person
                    join campaigns as c on c.n = m.n
                    where m.channel = 'whatsapp' and {window.where("m.sent_at", MESSAGE_SPREAD)}
                ) as m, range(0, 4) as s(slot)
                where case s.slot
                    when 0 then outcome = 'failed'
                    when 1 then outcome = 'delivered'
                    when 2 then outcome = 'delivered' and has_delivered
                    else true end
            )
            where __at is not null
        """

    texts = lst(REPLY_TEXTS)

    def inbound(window: Window) -> str:
        return f"""
            select
                {_wamid("mk", 96)} || 'R' as id,
                wa_id as "from",
                reply_at::VARCHAR as "timestamp",
                case when reply_kind = 0 then 'button' else 'text' end as "type",
                case when reply_kind <> 0 then {texts}[reply_kind + 1] end as text__body,
                case when reply_kind = 0 then {texts}[1] end as button__text,
                case when reply_kind = 0 then 'QUERO_SABER_MAIS' end as button__payload,
                case when reply_kind = 0 or u(mk, 97) < 0.3 then {lit(whatsapp.DISPLAY_PHONE_NUMBER)} end
                    as context__from,
                case when reply_kind = 0 or u(mk, 97) < 0.3 then message_id end as context__id,
                wa_id as contacts__wa_id,
                case when u(mk, 99) < 0.5 then first_name else first_name || ' ' || last_name end
                    as contacts__profile__name,
                {metadata},
                reply_at as __at,
                mk as __k
            from (
                select {per_message}
                from messages as m join persons as p on p.key = m.person
                where m.channel = 'whatsapp' and m.reply_at is not null
                    and {window.where("m.sent_at", MESSAGE_SPREAD)}
            )
        """

    fresh = "'wamid.HBgMX' || to_hex(h(__k, 95) | 9223372036854775808) || to_hex(__k)"
    return [
        BulkTable(
            "whatsapp",
            "statuses",
            tuple(whatsapp.STATUS_COLUMNS),
            statuses,
            key=("id", "status"),
            redeliver=0.004,
            overlap=0.25,
            defects=(
                Defect("missing_id", 3, {"id": "NULL"}),
                Defect("unparseable_timestamp", 2, {"id": fresh, "timestamp": "'17545O2400'"}),
                Defect("unknown_status", 2, {"id": fresh, "status": "'pending'"}),
                Defect(
                    "invalid_value",
                    2,
                    {"id": fresh, "pricing__billable": "'yes'", "pricing__pricing_model": "'CBP'"},
                ),
            ),
        ),
        BulkTable(
            "whatsapp",
            "messages",
            tuple(whatsapp.MESSAGE_COLUMNS),
            inbound,
            key=("id",),
            redeliver=0.01,
            overlap=0.5,
            defects=(
                Defect("missing_id", 2, {"id": "NULL"}),
                Defect("unparseable_timestamp", 2, {"id": fresh, "timestamp": "'2026-08-10 14:03'"}),
                Defect("invalid_value", 2, {"id": fresh, "from": "'55119ABC'", "contacts__wa_id": "'55119ABC'"}),
            ),
        ),
    ]


def _e164_as_held(key: str) -> str:
    """The number as our CRM holds it, sent to Twilio in E.164 (twilio.e164_as_held, vectorised)."""
    return (
        "case when m.company then '+551130031234' "
        f"when m.variants and u({key}, 110) < 0.6 and h({key}, 111) % 5 >= 3 then '+55' || m.area || m.num8 "
        "else '+55' || m.area || '9' || m.num8 end"
    )


PERSON_FIELDS = "p.area, p.num8, p.variants, p.company, p.marketing_paused"


def _twilio(plan: WorldPlan) -> list[BulkTable]:
    rng = random.Random(f"{plan.seed}:twilio")
    account = "AC" + f"{rng.getrandbits(128):032x}"
    service = "MG" + f"{rng.getrandbits(128):032x}"
    api = twilio.API_VERSION
    sender = lit(twilio.SENDER_NUMBER)
    undelivered = sorted(twilio.UNDELIVERED)
    failed_code = (
        "case when p.marketing_paused then '21610' else case when u(m.mk, 112) < 0.8 then '30004' else '30001' end end"
    )
    undelivered_code = f"pick({lst(undelivered)}, m.mk, 113)"
    messages_by_code = {**twilio.UNDELIVERED, **twilio.FAILED}
    error_message = "case error_code " + " ".join(
        f"when {lit(c)} then {lit(text)}" for c, text in sorted(messages_by_code.items())
    )
    texts = lst(REPLY_TEXTS)
    reply_segments = lst([twilio.segments(text) for text in REPLY_TEXTS])
    times = f"""
        m.sent_at + rint(m.mk, 101, 2) as queued_at,
        m.sent_at + rint(m.mk, 101, 2) + 1 + rint(m.mk, 102, 4) as failed_at,
        m.sent_at + rint(m.mk, 101, 2) + 1 + rint(m.mk, 103, 3) as sms_sent_at,
        case when m.outcome = 'undelivered'
            then m.sent_at + rint(m.mk, 101, 2) + 1 + rint(m.mk, 103, 3) + 20 + rint(m.mk, 104, 3580)
            else greatest(m.delivered_at, m.sent_at + rint(m.mk, 101, 2) + 1 + rint(m.mk, 103, 3)) end as done_at,
        case when m.outcome = 'failed' then {failed_code} when m.outcome = 'undelivered' then {undelivered_code}
        end as error_code
    """

    def sid(key: str) -> str:
        """A Message SID: SM and 32 hex characters, unique per key (the second half is the key + 2**60)."""
        return f"'SM' || lower(to_hex(h({key}, 100) | 9223372036854775808) || to_hex({key} + 1152921504606846976))"

    def messages(window: Window) -> str:
        return f"""
            select
                sid,
                {lit(account)} as account_sid,
                {lit(service)} as messaging_service_sid,
                case when slot = 0 then {sender} else '+55' || m.area || '9' || m.num8 end as "from",
                case when slot = 0 then {_e164_as_held("m.mk")} else {sender} end as "to",
                case when slot = 0 then c.sms_body else {texts}[m.reply_kind + 1] end as body,
                case when slot = 1 then 'received' when m.outcome = 'delivered' then 'delivered' else m.outcome end
                    as status,
                case when slot = 0 then 'outbound-api' else 'inbound' end as direction,
                case when slot = 0 then c.sms_segments else {reply_segments}[m.reply_kind + 1] end::VARCHAR
                    as num_segments,
                '0' as num_media,
                case when slot = 1 then {lit(twilio.INBOUND_PRICE)} when m.outcome <> 'failed'
                    then '-' || (0.33 * c.sms_segments)::DECIMAL(10, 4)::VARCHAR end as price,
                'BRL' as price_unit,
                case when slot = 0 then error_code end as error_code,
                case when slot = 0 then {error_message} end end as error_message,
                rfc2822(case when slot = 0 then m.sent_at else m.reply_at end) as date_created,
                case when slot = 1 then rfc2822(m.reply_at) when m.outcome <> 'failed' then rfc2822(sms_sent_at)
                    end as date_sent,
                rfc2822(__at) as date_updated,
                {lit(api)} as api_version,
                '/{api}/Accounts/{account}/Messages/' || sid || '.json' as uri,
                __at,
                m.mk * 2 + slot as __k
            from (
                select
                    *,
                    case when slot = 1 then reply_at when outcome = 'failed' then failed_at else done_at end as __at
                from (
                    select
                        m.*,
                        {PERSON_FIELDS},
                        s.slot,
                        {sid("m.mk * 2 + s.slot")} as sid,
                        {times}
                    from messages as m join persons as p on p.key = m.person, range(0, 2) as s(slot)
                    where m.channel = 'sms' and {window.where("m.sent_at", MESSAGE_SPREAD)}
                        and (s.slot = 0 or m.reply_at is not null)
                )
            ) as m
            join campaigns as c on c.n = m.n
        """

    def callbacks(window: Window) -> str:
        return f"""
            select
                sid as message_sid,
                ['queued', 'sent', m.outcome, 'failed'][slot + 1] as message_status,
                case when slot in (2, 3) then error_code end as error_code,
                {_e164_as_held("m.mk")} as "to",
                {sender} as "from",
                {lit(account)} as account_sid,
                {lit(service)} as messaging_service_sid,
                sid as sms_sid,
                ['queued', 'sent', m.outcome, 'failed'][slot + 1] as sms_status,
                {lit(api)} as api_version,
                case when slot = 2 then strftime(ts(done_at), '%y%m%d%H%M') end as raw_dlr_done_date,
                c.campaign_id as callback_params__campaign_id,
                {VARIANT} as callback_params__ab_variant,
                [queued_at, sms_sent_at, done_at, failed_at][slot + 1] as __at,
                m.mk * 4 + slot as __k
            from (
                select m.*, {PERSON_FIELDS}, s.slot, {sid("m.mk * 2")} as sid, {times}
                from messages as m join persons as p on p.key = m.person, range(0, 4) as s(slot)
                where m.channel = 'sms' and {window.where("m.sent_at", MESSAGE_SPREAD)}
            ) as m
            join campaigns as c on c.n = m.n
            where case slot
                when 0 then not (m.outcome = 'failed' and error_code = '21610')
                when 3 then m.outcome = 'failed'
                else m.outcome <> 'failed' end
        """

    fresh = "'SM' || lower(to_hex(h(__k, 105) | 9223372036854775808) || to_hex(__k + 4611686018427387904))"
    return [
        BulkTable(
            "twilio",
            "messages",
            tuple(twilio.MESSAGE_COLUMNS),
            messages,
            key=("sid",),
            redeliver=0.003,
            overlap=0.5,
            defects=(
                Defect("missing_id", 2, {"sid": "NULL"}),
                Defect("unparseable_timestamp", 2, {"sid": fresh, "date_created": "'03/08/2026 14:05'"}),
                Defect("unknown_status", 2, {"sid": fresh, "status": "'pending'"}),
                Defect("invalid_value", 2, {"sid": fresh, "num_segments": "'two'"}),
            ),
        ),
        BulkTable(
            "twilio",
            "status_callbacks",
            tuple(twilio.CALLBACK_COLUMNS),
            callbacks,
            key=("message_sid", "message_status"),
            redeliver=0.005,
            overlap=0.25,
            defects=(
                Defect("missing_id", 2, {"message_sid": "NULL", "sms_sid": "NULL"}),
                Defect(
                    "unparseable_timestamp",
                    2,
                    {
                        "message_sid": fresh,
                        "sms_sid": fresh,
                        "message_status": "'delivered'",
                        "sms_status": "'delivered'",
                        "raw_dlr_done_date": "'26O8031205'",
                        "error_code": "NULL",
                    },
                ),
                Defect(
                    "unknown_status",
                    2,
                    {
                        "message_sid": fresh,
                        "sms_sid": fresh,
                        "message_status": "'delivery_unknown'",
                        "sms_status": "'delivery_unknown'",
                    },
                ),
            ),
        ),
    ]


def tables(plan: WorldPlan) -> list[BulkTable]:
    return [_sendgrid(), *_whatsapp(), *_twilio(plan)]
