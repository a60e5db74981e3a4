"""Messaging KPIs per campaign and channel in plain pandas, without Jornada.

The baseline of `scripts/benchmark.py`: what a team would write by hand to
get delivery_rate, open_rate, click_through_rate and unsubscribe_rate per
campaign and channel straight from the raw Parquet exports (a large world of
`generate_raw.py --events N --out DIR`), following docs/KPIS.md and the rules
the warehouse applies:

- invalid rows are skipped (missing id, unparseable timestamp, unknown
  status, unreadable phone or code), as staging quarantines them;
- webhook re-deliveries and rows repeated by overlapping export files are
  dropped: one row per natural key, the earliest load first (Twilio message
  resources: the latest state wins);
- one lifecycle per outbound message: sent (not a Twilio scheduled/canceled
  request), delivered (a delivered status not followed by a failure, or any
  engagement: open, read, click, unsubscribe, spam report, reply), opened
  (a human open or read, a click implies an open), clicked (a SendGrid
  click), unsubscribed (unsubscribe event or an opt-out keyword reply);
- a message's campaign and phone are the same on all its events (the first
  non-null one is taken; pandas' max over strings is a slow Python loop);
- inbound WhatsApp and SMS messages answer the message of their context id,
  else the latest outbound message on the channel to the same phone before
  them (skipping messages failed with no sign of delivery).

Scope: the vendor exports only. The warehouse also counts, on WhatsApp and
SMS, link clicks seen as tagged GA4 visits tied to the recipient through the
identity graph (fct_messaging_web_clicks); those are not reproduced here, so
whatsapp open_rate and whatsapp/sms click_through_rate match the warehouse's
message lifecycles (int_message_lifecycles_pivoted), not the mart.

    python scripts/bench_pandas_messaging.py --raw-path /data/jornada_1m --out kpis.csv
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

OPT_OUT_KEYWORDS = ("STOP", "SAIR", "PARAR", "CANCELAR", "DESCADASTRAR")
SENDGRID_EVENTS = {
    "processed": "sent",
    "delivered": "delivered",
    "deferred": "deferred",
    "bounce": "bounced",
    "dropped": "dropped",
    "open": "opened",
    "click": "clicked",
    "spamreport": "spam_reported",
    "unsubscribe": "unsubscribed",
    "group_unsubscribe": "unsubscribed",
}
WHATSAPP_STATUSES = {"sent": "sent", "delivered": "delivered", "read": "opened", "failed": "failed"}
TWILIO_STATUSES = {
    "accepted": "sent",
    "queued": "sent",
    "sending": "sent",
    "sent": "sent",
    "scheduled": "deferred",
    "delivered": "delivered",
    "partially_delivered": "delivered",
    "read": "opened",
    "undelivered": "bounced",
    "failed": "failed",
    "canceled": "dropped",
}
TWILIO_MESSAGE_STATUSES = (*TWILIO_STATUSES, "receiving", "received")
TWILIO_DIRECTIONS = ("inbound", "outbound-api", "outbound-call", "outbound-reply")
OPEN_TRACKED_CHANNELS = ("email", "whatsapp")
CLICK_TRACKED_CHANNELS = ("email",)
FAILURE_EVENTS = ("bounced", "failed", "dropped")
DELIVERY_EVIDENCE_EVENTS = ("delivered", "opened", "clicked")
KEY_COLUMNS = ["campaign_id", "channel"]
COUNT_COLUMNS = [
    "messages_sent",
    "messages_delivered",
    "unique_openers",
    "unique_clickers",
    "messages_unsubscribed",
]
RATE_COLUMNS = ["delivery_rate", "open_rate", "click_through_rate", "unsubscribe_rate"]
NO_CAMPAIGN = "(none)"


# --- reading --------------------------------------------------------------------------------------------------------


def read_table(raw_path: Path, source: str, table: str, columns: Iterable[str]) -> pd.DataFrame:
    """Every Parquet file of <raw_path>/<source>/<table>/, by column name (a file lacking a column gives nulls)."""
    wanted = list(columns)
    frames = []
    for file in sorted((raw_path / source / table).glob("*.parquet")):
        present = [c for c in wanted if c in pq.ParquetFile(file).schema_arrow.names]
        frame = pq.read_table(file, columns=present).to_pandas()
        for column in wanted:
            if column not in frame:
                frame[column] = None
        frames.append(frame[wanted])
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in wanted})
    return pd.concat(frames, ignore_index=True)


# --- parsing, as the base models cast -------------------------------------------------------------------------------


def trimmed(values: pd.Series) -> pd.Series:
    """SQL trim(): spaces off both ends (nulls stay null)."""
    return values.astype("string").str.strip(" ")


def nullif_blank(values: pd.Series) -> pd.Series:
    out = trimmed(values)
    return out.mask(out == "")


def is_blank(values: pd.Series) -> pd.Series:
    return trimmed(values).fillna("").eq("")


def epoch_seconds(values: pd.Series) -> pd.Series:
    """Epoch seconds as text to a UTC timestamp; unreadable gives NaT."""
    return pd.to_datetime(pd.to_numeric(values, errors="coerce"), unit="s")


def iso_timestamp(values: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(values, errors="coerce", utc=True, format="ISO8601")
    return parsed.dt.tz_convert(None)


def rfc2822_timestamp(values: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(values, errors="coerce", utc=True, format="%a, %d %b %Y %H:%M:%S %z")
    return parsed.dt.tz_convert(None)


def unreadable_number(values: pd.Series) -> pd.Series:
    """A value is present but is not a number (try_cast gives null)."""
    return values.notna() & pd.to_numeric(values, errors="coerce").isna()


def normalize_phone_br(values: pd.Series) -> pd.Series:
    """Brazilian phone to E.164, the ninth digit restored (macro normalize_phone_br); anything else gives null."""
    digits = values.astype("string").fillna("").str.replace(r"[^0-9]", "", regex=True)
    length = digits.str.len()
    national = pd.Series(pd.NA, index=values.index, dtype="string")
    with_country = length.isin([12, 13]) & digits.str.startswith("55")
    national = national.mask(with_country, digits.str[2:])
    national = national.mask(~with_country & length.isin([10, 11]), digits)
    national_length = national.str.len()
    third = national.str[2:3]
    out = pd.Series(pd.NA, index=values.index, dtype="string")
    old_mobile = (national_length == 10) & third.isin(["6", "7", "8", "9"])
    out = out.mask(old_mobile, "+55" + national.str[:2] + "9" + national.str[2:])
    out = out.mask((national_length == 11) & (third == "9"), "+55" + national)
    out = out.mask((national_length == 10) & ~old_mobile, "+55" + national)
    return out


def is_opt_out_keyword(text: pd.Series) -> pd.Series:
    return trimmed(text).str.upper().isin(OPT_OUT_KEYWORDS).fillna(False).astype(bool)


def deduplicate(frame: pd.DataFrame, keys: list[str], order: list[str], ascending: bool | list[bool] = True):
    """One row per natural key: the first by `order` (nulls last), as the staging macro `deduplicate`."""
    ordered = frame.sort_values(order, ascending=ascending, na_position="last", kind="stable")
    return ordered.drop_duplicates(keys, keep="first")


# --- per vendor: valid, deduplicated events in one vocabulary ------------------------------------------------------

EVENT_COLUMNS = [
    "message_id",
    "channel",
    "event_type",
    "vendor_event_type",
    "occurred_at",
    "person_key",
    "campaign_id",
    "is_machine_open",
]
INBOUND_COLUMNS = ["message_id", "channel", "occurred_at", "person_key", "context_message_id", "is_opt_out_keyword"]


def sendgrid_events(raw: pd.DataFrame) -> pd.DataFrame:
    """SendGrid Event Webhook rows -> outbound email events."""
    events = pd.DataFrame(
        {
            "event_id": raw["sg_event_id"],
            "message_id": raw["sg_message_id"],
            "vendor_event_type": trimmed(raw["event"]).str.lower(),
            "occurred_at": epoch_seconds(raw["timestamp"]),
            "person_key": trimmed(raw["email"]).str.lower(),
            "campaign_id": nullif_blank(raw["campaign_id"]),
            "is_machine_open": raw["sg_machine_open"].astype("string").str.lower().eq("true").fillna(False),
            "loaded_at": iso_timestamp(raw["_loaded_at"]),
            "file_name": raw["_file_name"],
        }
    )
    valid = (
        ~is_blank(events["event_id"])
        & events["occurred_at"].notna()
        & events["vendor_event_type"].isin(list(SENDGRID_EVENTS)).fillna(False)
    )
    events = deduplicate(events[valid], ["event_id"], ["loaded_at", "file_name"])
    events["channel"] = "email"
    events["event_type"] = events["vendor_event_type"].map(SENDGRID_EVENTS)
    events["is_machine_open"] = events["is_machine_open"].astype(bool) & events["event_type"].eq("opened")
    return events[EVENT_COLUMNS]


def _callback_field(callback_data: pd.Series, name: str) -> pd.Series:
    parts = callback_data.astype("string").str.split(";")
    out = pd.Series(pd.NA, index=callback_data.index, dtype="string")
    for position in (1, 0):  # part 1 wins over part 2, as the SQL `case` orders them
        part = parts.str[position]
        value = part.str.split("=").str[1]
        out = out.mask(part.str.startswith(f"{name}=").fillna(False), value.mask(value == ""))
    return out


def whatsapp_events(raw: pd.DataFrame) -> pd.DataFrame:
    """WhatsApp Cloud API status webhooks -> outbound whatsapp events."""
    billable = trimmed(raw["pricing__billable"]).str.lower()
    events = pd.DataFrame(
        {
            "message_id": raw["id"],
            "vendor_event_type": trimmed(raw["status"]).str.lower(),
            "occurred_at": epoch_seconds(raw["timestamp"]),
            "person_key": normalize_phone_br(raw["recipient_id"]),
            "campaign_id": _callback_field(raw["biz_opaque_callback_data"], "campaign_id"),
            "loaded_at": iso_timestamp(raw["_loaded_at"]),
            "file_name": raw["_file_name"],
        }
    )
    invalid_value = (
        events["person_key"].isna()
        | (raw["pricing__billable"].notna() & ~billable.isin(["true", "false"]).fillna(False))
        | (
            raw["conversation__expiration_timestamp"].notna()
            & epoch_seconds(raw["conversation__expiration_timestamp"]).isna()
        )
        | unreadable_number(raw["errors__code"])
    )
    valid = (
        ~is_blank(events["message_id"])
        & events["occurred_at"].notna()
        & events["vendor_event_type"].isin(list(WHATSAPP_STATUSES)).fillna(False)
        & ~invalid_value
    )
    events = deduplicate(events[valid], ["message_id", "vendor_event_type"], ["loaded_at", "file_name"])
    events["channel"] = "whatsapp"
    events["event_type"] = events["vendor_event_type"].map(WHATSAPP_STATUSES)
    events["is_machine_open"] = False
    return events[EVENT_COLUMNS]


def whatsapp_inbound(raw: pd.DataFrame) -> pd.DataFrame:
    """WhatsApp inbound message webhooks (replies and opt-out keywords)."""
    inbound = pd.DataFrame(
        {
            "message_id": raw["id"],
            "occurred_at": epoch_seconds(raw["timestamp"]),
            "person_key": normalize_phone_br(raw["from"]),
            "context_message_id": nullif_blank(raw["context__id"]),
            "is_opt_out_keyword": is_opt_out_keyword(raw["text__body"].fillna(raw["button__text"])),
            "loaded_at": iso_timestamp(raw["_loaded_at"]),
            "file_name": raw["_file_name"],
        }
    )
    valid = ~is_blank(inbound["message_id"]) & inbound["occurred_at"].notna() & inbound["person_key"].notna()
    inbound = deduplicate(inbound[valid], ["message_id"], ["loaded_at", "file_name"])
    inbound["channel"] = "whatsapp"
    return inbound[INBOUND_COLUMNS]


def twilio_resources(raw: pd.DataFrame) -> pd.DataFrame:
    """Twilio Message resources, valid, one per sid (its latest state)."""
    direction = trimmed(raw["direction"]).str.lower()
    resources = pd.DataFrame(
        {
            "message_id": raw["sid"],
            "direction": direction,
            "status": trimmed(raw["status"]).str.lower(),
            "person_key": normalize_phone_br(raw["from"].where(direction == "inbound", raw["to"])),
            "created_at": rfc2822_timestamp(raw["date_created"]),
            "sent_at": rfc2822_timestamp(raw["date_sent"]),
            "updated_at": rfc2822_timestamp(raw["date_updated"]),
            "is_opt_out_keyword": is_opt_out_keyword(raw["body"]) & direction.eq("inbound").fillna(False),
            "loaded_at": iso_timestamp(raw["_loaded_at"]),
            "file_name": raw["_file_name"],
        }
    )
    unparseable = (
        resources["created_at"].isna()
        | (raw["date_sent"].notna() & resources["sent_at"].isna())
        | (raw["date_updated"].notna() & resources["updated_at"].isna())
    )
    invalid_value = (
        resources["person_key"].isna()
        | unreadable_number(raw["num_segments"])
        | unreadable_number(raw["num_media"])
        | unreadable_number(raw["price"])
        | unreadable_number(raw["error_code"])
    )
    valid = (
        ~is_blank(resources["message_id"])
        & ~unparseable
        & resources["status"].isin(TWILIO_MESSAGE_STATUSES).fillna(False)
        & resources["direction"].isin(TWILIO_DIRECTIONS).fillna(False)
        & ~invalid_value
    )
    return deduplicate(
        resources[valid], ["message_id"], ["updated_at", "loaded_at", "file_name"], ascending=[False, False, False]
    )


def twilio_callbacks(raw: pd.DataFrame) -> pd.DataFrame:
    """Twilio StatusCallbacks, valid, one per message and status."""
    receipt = trimmed(raw["raw_dlr_done_date"])
    receipt_iso = (
        "20"
        + receipt.str[0:2]
        + "-"
        + receipt.str[2:4]
        + "-"
        + receipt.str[4:6]
        + " "
        + receipt.str[6:8]
        + ":"
        + receipt.str[8:10]
        + ":00"
    )
    receipt_at = pd.to_datetime(receipt_iso.where(receipt.str.len() == 10), errors="coerce", format="%Y-%m-%d %H:%M:%S")
    callbacks = pd.DataFrame(
        {
            "message_id": raw["message_sid"],
            "status": trimmed(raw["message_status"]).str.lower(),
            "person_key": normalize_phone_br(raw["to"]),
            "campaign_id": nullif_blank(raw["callback_params__campaign_id"]),
            "receipt_at": receipt_at,
            "loaded_at": iso_timestamp(raw["_loaded_at"]),
            "file_name": raw["_file_name"],
        }
    )
    valid = (
        ~is_blank(callbacks["message_id"])
        & callbacks["loaded_at"].notna()
        & ~(raw["raw_dlr_done_date"].notna() & callbacks["receipt_at"].isna())
        & callbacks["status"].isin(list(TWILIO_STATUSES)).fillna(False)
        & callbacks["person_key"].notna()
        & ~unreadable_number(raw["error_code"])
    )
    callbacks = deduplicate(callbacks[valid], ["message_id", "status"], ["loaded_at", "file_name"])
    callbacks["occurred_at"] = callbacks["receipt_at"].fillna(callbacks["loaded_at"])
    callbacks["clock_priority"] = np.where(callbacks["receipt_at"].notna(), 2, 3)
    return callbacks


def twilio_events(resources: pd.DataFrame, callbacks: pd.DataFrame) -> pd.DataFrame:
    """Outbound SMS events: per message and status the best clock (resource dates, carrier receipt, load time)."""
    outbound = resources[resources["direction"] != "inbound"]
    requested = outbound["status"].isin(["scheduled", "canceled"])
    final_status = ~outbound["status"].isin(["accepted", "scheduled", "queued", "sending", "sent"])
    candidates = pd.concat(
        [
            pd.DataFrame(
                {
                    "message_id": outbound["message_id"],
                    "status": np.where(requested, "scheduled", "accepted"),
                    "occurred_at": outbound["created_at"],
                    "loaded_at": outbound["loaded_at"],
                    "clock_priority": 1,
                }
            ),
            pd.DataFrame(
                {
                    "message_id": outbound["message_id"],
                    "status": "sent",
                    "occurred_at": outbound["sent_at"],
                    "loaded_at": outbound["loaded_at"],
                    "clock_priority": 1,
                }
            )[outbound["sent_at"].notna()],
            pd.DataFrame(
                {
                    "message_id": outbound["message_id"],
                    "status": outbound["status"],
                    "occurred_at": outbound["updated_at"],
                    "loaded_at": outbound["loaded_at"],
                    "clock_priority": 1,
                }
            )[outbound["updated_at"].notna() & final_status],
            callbacks[["message_id", "status", "occurred_at", "loaded_at", "clock_priority"]],
        ],
        ignore_index=True,
    )
    statuses = deduplicate(candidates, ["message_id", "status"], ["clock_priority", "occurred_at", "loaded_at"])
    attributes = callbacks.groupby("message_id").agg(
        campaign_id=("campaign_id", "first"), phone=("person_key", "first")
    )
    resource_phone = outbound.set_index("message_id")["person_key"]
    events = statuses.join(attributes, on="message_id")
    events["person_key"] = events["message_id"].map(resource_phone).fillna(events["phone"])
    events["channel"] = "sms"
    events["vendor_event_type"] = events["status"]
    events["event_type"] = events["status"].map(TWILIO_STATUSES)
    events["is_machine_open"] = False
    return events[EVENT_COLUMNS]


def twilio_inbound(resources: pd.DataFrame) -> pd.DataFrame:
    inbound = resources[resources["direction"] == "inbound"]
    return pd.DataFrame(
        {
            "message_id": inbound["message_id"],
            "channel": "sms",
            "occurred_at": inbound["sent_at"].fillna(inbound["created_at"]),
            "person_key": inbound["person_key"],
            "context_message_id": pd.Series(pd.NA, index=inbound.index, dtype="string"),
            "is_opt_out_keyword": inbound["is_opt_out_keyword"].astype(bool),
        }
    )[INBOUND_COLUMNS]


# --- lifecycles and KPIs --------------------------------------------------------------------------------------------


def link_inbound(inbound: pd.DataFrame, outbound_events: pd.DataFrame) -> pd.DataFrame:
    """The outbound message each inbound one answers: its context id, else the latest eligible send to the phone."""
    event_type = outbound_events["event_type"]
    messages = (
        outbound_events.assign(
            has_evidence=event_type.isin(DELIVERY_EVIDENCE_EVENTS), has_failure=event_type.isin(FAILURE_EVENTS)
        )
        .groupby(["channel", "message_id"], as_index=False)
        .agg(
            person_key=("person_key", "first"),
            first_event_at=("occurred_at", "min"),
            has_evidence=("has_evidence", "any"),
            has_failure=("has_failure", "any"),
        )
    )
    eligible = messages[messages["has_evidence"] | ~messages["has_failure"]]
    unlinked = inbound[inbound["context_message_id"].isna()]
    pairs = unlinked.merge(
        eligible[["channel", "person_key", "message_id", "first_event_at"]],
        on=["channel", "person_key"],
        suffixes=("", "_outbound"),
    )
    pairs = pairs[pairs["occurred_at"] > pairs["first_event_at"]]
    latest = deduplicate(
        pairs, ["channel", "message_id"], ["first_event_at", "message_id_outbound"], ascending=[False, False]
    ).set_index(["channel", "message_id"])["message_id_outbound"]
    keys = pd.MultiIndex.from_frame(inbound[["channel", "message_id"]])
    latest_send = pd.Series(latest.reindex(keys).to_numpy(), index=inbound.index, dtype="string")
    linked = inbound.assign(replied_to=inbound["context_message_id"].astype("string").fillna(latest_send))
    return linked[linked["replied_to"].notna()]


def message_lifecycles(outbound_events: pd.DataFrame, inbound: pd.DataFrame) -> pd.DataFrame:
    """One row per outbound message with is_sent, is_delivered, is_opened, is_clicked, is_unsubscribed."""
    at = outbound_events["occurred_at"]
    event_type = outbound_events["event_type"]
    machine = outbound_events["is_machine_open"].astype(bool)
    steps = pd.DataFrame(
        {
            "message_id": outbound_events["message_id"],
            "channel": outbound_events["channel"],
            "campaign_id": outbound_events["campaign_id"],
            "sent": ~outbound_events["vendor_event_type"].isin(["scheduled", "canceled"]),
            "delivered_at": at.where(event_type == "delivered"),
            "human_open_at": at.where((event_type == "opened") & ~machine),
            "machine_open_at": at.where((event_type == "opened") & machine),
            "clicked_at": at.where(event_type == "clicked"),
            "unsubscribed_at": at.where(event_type == "unsubscribed"),
            "spam_at": at.where(event_type == "spam_reported"),
            "failure_at": at.where(event_type.isin(FAILURE_EVENTS)),
        }
    )
    messages = steps.groupby(["channel", "message_id"]).agg(
        campaign_id=("campaign_id", "first"),
        is_sent=("sent", "any"),
        first_delivered_at=("delivered_at", "min"),
        last_delivered_at=("delivered_at", "max"),
        human_open_at=("human_open_at", "min"),
        machine_open_at=("machine_open_at", "min"),
        clicked_at=("clicked_at", "min"),
        unsubscribed_at=("unsubscribed_at", "min"),
        spam_at=("spam_at", "min"),
        last_failure_at=("failure_at", "max"),
    )
    answers = link_inbound(inbound, outbound_events)
    answer_steps = (
        answers.assign(opt_out_at=answers["occurred_at"].where(answers["is_opt_out_keyword"]))
        .groupby(["channel", "replied_to"])
        .agg(answer_at=("occurred_at", "min"), opt_out_reply_at=("opt_out_at", "min"))
    )
    answer_steps.index = answer_steps.index.set_names(["channel", "message_id"])
    messages = messages.join(answer_steps, how="left")
    engaged = messages[
        ["human_open_at", "machine_open_at", "clicked_at", "unsubscribed_at", "spam_at", "answer_at"]
    ].notna()
    delivered_status = messages["first_delivered_at"].notna() & (
        messages["last_failure_at"].isna() | (messages["last_delivered_at"] >= messages["last_failure_at"])
    )
    out = pd.DataFrame(
        {
            "campaign_id": messages["campaign_id"],
            "is_sent": messages["is_sent"].astype(bool),
            "is_delivered": messages["is_sent"].astype(bool) & (engaged.any(axis=1) | delivered_status),
            "is_opened": messages["human_open_at"].notna() | messages["clicked_at"].notna(),
            "is_clicked": messages["clicked_at"].notna(),
            "is_unsubscribed": messages["unsubscribed_at"].notna() | messages["opt_out_reply_at"].notna(),
        }
    )
    return out.reset_index()


def campaign_channel_kpis(lifecycles: pd.DataFrame) -> pd.DataFrame:
    """Sent messages per campaign x channel: the KPIs' numerators, denominators and rates (null on a zero or
    untracked denominator: open_rate on email/whatsapp, click_through_rate from vendor clicks on email)."""
    sent = lifecycles[lifecycles["is_sent"]]
    open_tracked = sent["channel"].isin(OPEN_TRACKED_CHANNELS)
    click_tracked = sent["channel"].isin(CLICK_TRACKED_CHANNELS)
    frame = pd.DataFrame(
        {
            "campaign_id": sent["campaign_id"].astype(object).where(sent["campaign_id"].notna(), NO_CAMPAIGN),
            "channel": sent["channel"],
            "messages_sent": 1,
            "messages_delivered": sent["is_delivered"].astype("int64"),
            "unique_openers": (sent["is_opened"] & open_tracked).astype("int64"),
            "unique_clickers": (sent["is_clicked"] & click_tracked).astype("int64"),
            "messages_unsubscribed": sent["is_unsubscribed"].astype("int64"),
        }
    )
    kpis = frame.groupby(KEY_COLUMNS, as_index=False)[COUNT_COLUMNS].sum()
    return add_rates(kpis)


def safe_divide(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    return (numerator / denominator.where(denominator != 0)).astype("float64")


def add_rates(kpis: pd.DataFrame) -> pd.DataFrame:
    """KPIS.md: delivered / sent, openers / delivered, clickers / delivered, opt-outs / delivered."""
    out = kpis.copy()
    delivered = out["messages_delivered"]
    out["delivery_rate"] = safe_divide(delivered, out["messages_sent"])
    out["open_rate"] = safe_divide(out["unique_openers"], delivered).where(out["channel"].isin(OPEN_TRACKED_CHANNELS))
    out["click_through_rate"] = safe_divide(out["unique_clickers"], delivered).where(
        out["channel"].isin(CLICK_TRACKED_CHANNELS)
    )
    out["unsubscribe_rate"] = safe_divide(out["messages_unsubscribed"], delivered)
    return out.sort_values(KEY_COLUMNS, ignore_index=True)


def compare_kpis(
    pandas_kpis: pd.DataFrame, warehouse_kpis: pd.DataFrame, tolerance: float = 1e-9, columns: list[str] | None = None
) -> pd.DataFrame:
    """Rows (campaign_id, channel, column, pandas, warehouse) where the two differ; empty when they agree.
    Counts must be equal, rates within `tolerance`; two nulls agree; a key missing on one side differs."""
    columns = columns or [*COUNT_COLUMNS, *RATE_COLUMNS]
    merged = pandas_kpis.merge(
        warehouse_kpis, on=KEY_COLUMNS, how="outer", suffixes=("_pandas", "_warehouse"), indicator=True
    )
    rows = []
    for column in columns:
        left = pd.to_numeric(merged[f"{column}_pandas"], errors="coerce").astype("float64")
        right = pd.to_numeric(merged[f"{column}_warehouse"], errors="coerce").astype("float64")
        both_null = left.isna() & right.isna()
        close = (left - right).abs() <= tolerance
        differs = ~(both_null | close.fillna(False)) | (merged["_merge"] != "both")
        for index in merged.index[differs]:
            rows.append(
                {
                    "campaign_id": merged.at[index, "campaign_id"],
                    "channel": merged.at[index, "channel"],
                    "column": column,
                    "pandas": left.at[index],
                    "warehouse": right.at[index],
                }
            )
    return pd.DataFrame(rows, columns=["campaign_id", "channel", "column", "pandas", "warehouse"])


def compute(raw_path: Path, progress: bool = True) -> pd.DataFrame:
    """Read the exports under raw_path and return the KPIs per campaign x channel."""

    def step(text: str) -> None:
        if progress:
            print(f"  [pandas {time.perf_counter() - started:6.1f}s] {text}", file=sys.stderr, flush=True)

    started = time.perf_counter()
    step("reading sendgrid/events")
    email = sendgrid_events(
        read_table(
            raw_path,
            "sendgrid",
            "events",
            [
                "sg_event_id",
                "sg_message_id",
                "event",
                "timestamp",
                "email",
                "campaign_id",
                "sg_machine_open",
                "_loaded_at",
                "_file_name",
            ],
        )
    )
    step("reading whatsapp/statuses and messages")
    whatsapp = whatsapp_events(
        read_table(
            raw_path,
            "whatsapp",
            "statuses",
            [
                "id",
                "status",
                "timestamp",
                "recipient_id",
                "biz_opaque_callback_data",
                "pricing__billable",
                "conversation__expiration_timestamp",
                "errors__code",
                "_loaded_at",
                "_file_name",
            ],
        )
    )
    whatsapp_in = whatsapp_inbound(
        read_table(
            raw_path,
            "whatsapp",
            "messages",
            ["id", "from", "timestamp", "context__id", "text__body", "button__text", "_loaded_at", "_file_name"],
        )
    )
    step("reading twilio/messages and status_callbacks")
    resources = twilio_resources(
        read_table(
            raw_path,
            "twilio",
            "messages",
            [
                "sid",
                "direction",
                "status",
                "from",
                "to",
                "body",
                "num_segments",
                "num_media",
                "price",
                "error_code",
                "date_created",
                "date_sent",
                "date_updated",
                "_loaded_at",
                "_file_name",
            ],
        )
    )
    callbacks = twilio_callbacks(
        read_table(
            raw_path,
            "twilio",
            "status_callbacks",
            [
                "message_sid",
                "message_status",
                "error_code",
                "to",
                "raw_dlr_done_date",
                "callback_params__campaign_id",
                "_loaded_at",
                "_file_name",
            ],
        )
    )
    sms = twilio_events(resources, callbacks)
    step("message lifecycles")
    lifecycles = pd.concat(
        [
            message_lifecycles(email, pd.DataFrame(columns=INBOUND_COLUMNS)),
            message_lifecycles(whatsapp, whatsapp_in),
            message_lifecycles(sms, twilio_inbound(resources)),
        ],
        ignore_index=True,
    )
    step(f"KPIs over {len(lifecycles):,} messages")
    kpis = campaign_channel_kpis(lifecycles)
    step("done")
    return kpis


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raw-path", type=Path, required=True, help="the world's folder (<source>/<table>/*.parquet)")
    parser.add_argument("--out", type=Path, help="write the KPIs per campaign x channel to this CSV")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    kpis = compute(args.raw_path, progress=not args.quiet)
    elapsed = time.perf_counter() - started
    if args.out:
        kpis.to_csv(args.out, index=False)
    print(f"{len(kpis)} campaign x channel rows in {elapsed:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
