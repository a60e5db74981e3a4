"""The benchmark's pandas baseline (scripts/bench_pandas_messaging.py) and its comparison function, on a tiny
hand-made world whose KPIs are computed by hand. No timing is asserted."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import bench_pandas_messaging as bench
from benchmark import fmt_time_by_kind, folder_bytes, node_time_by_kind, parse_size, run_measured, size_label

T0 = 1_786_000_000  # 2026-08-06 UTC, epoch seconds
LOADED = "2026-08-10T00:00:00Z"
LOADED_LATER = "2026-08-17T00:00:00Z"


def rfc2822(offset_seconds: int) -> str:
    stamp = pd.Timestamp(T0 + offset_seconds, unit="s")
    return stamp.strftime("%a, %d %b %Y %H:%M:%S +0000")


def write(root: Path, source: str, table: str, rows: list[dict[str, object]]) -> None:
    folder = root / source / table
    folder.mkdir(parents=True, exist_ok=True)
    columns = sorted({key for row in rows for key in row})
    data = {c: pa.array([None if r.get(c) is None else str(r[c]) for r in rows], pa.string()) for c in columns}
    pq.write_table(pa.table(data), folder / f"{source}__{table}__20260810.parquet")


def sendgrid(event_id: str | None, message: str, event: str, at: object, **extra: object) -> dict[str, object]:
    row = {
        "sg_event_id": event_id,
        "sg_message_id": message,
        "event": event,
        "timestamp": at,
        "email": f" {message.upper()}@Example.com ",
        "campaign_id": "cmp_email",
        "_loaded_at": LOADED,
        "_file_name": "sendgrid__events__20260810",
    }
    return row | extra


def status(message: str, state: str, at: int, phone: str, **extra: object) -> dict[str, object]:
    row = {
        "id": message,
        "status": state,
        "timestamp": T0 + at,
        "recipient_id": phone,
        "biz_opaque_callback_data": "campaign_id=cmp_whatsapp;ab_variant=A",
        "pricing__billable": "true",
        "_loaded_at": LOADED,
        "_file_name": "whatsapp__statuses__20260810",
    }
    return row | extra


def resource(sid: str, state: str, phone: str, created: int, direction: str = "outbound-api", **extra: object):
    row = {
        "sid": sid,
        "direction": direction,
        "status": state,
        "from": "+551130045281" if direction != "inbound" else phone,
        "to": phone if direction != "inbound" else "+551130045281",
        "body": "Oferta",
        "num_segments": "1",
        "price": "-0.9900",
        "date_created": rfc2822(created),
        "date_sent": rfc2822(created + 2),
        "date_updated": rfc2822(created + 4),
        "_loaded_at": LOADED,
        "_file_name": "twilio__messages__20260810",
    }
    return row | extra


def callback(sid: str, state: str, phone: str, **extra: object) -> dict[str, object]:
    row = {
        "message_sid": sid,
        "message_status": state,
        "to": phone,
        "callback_params__campaign_id": "cmp_sms",
        "_loaded_at": LOADED,
        "_file_name": "twilio__status_callbacks__20260810",
    }
    return row | extra


@pytest.fixture(scope="module")
def tiny_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tiny_world")
    write(
        root,
        "sendgrid",
        "events",
        [
            # m1: delivered, opened by a human, clicked.
            sendgrid("e1", "m1", "processed", T0),
            sendgrid("e2", "m1", "delivered", T0 + 10),
            sendgrid("e3", "m1", "open", T0 + 100),
            sendgrid("e4", "m1", "click", T0 + 200),
            # m2: delivered (the webhook re-delivered the event), only a machine open: not opened.
            sendgrid("e5", "m2", "processed", T0),
            sendgrid("e6", "m2", "delivered", T0 + 10),
            sendgrid("e6", "m2", "delivered", T0 + 10, _loaded_at=LOADED_LATER),
            sendgrid("e7", "m2", "open", T0 + 50, sg_machine_open="true"),
            sendgrid("e8", "m2", "click", "1.7e9x"),  # unparseable timestamp: quarantined, not a click
            # m3: bounced; an open without an event id is quarantined, so it is no delivery evidence.
            sendgrid("e9", "m3", "processed", T0),
            sendgrid("e10", "m3", "bounce", T0 + 20, type="bounce"),
            sendgrid(None, "m3", "open", T0 + 30),
            # m4: delivered and unsubscribed.
            sendgrid("e11", "m4", "processed", T0),
            sendgrid("e12", "m4", "delivered", T0 + 10),
            sendgrid("e13", "m4", "unsubscribe", T0 + 60),
        ],
    )
    write(
        root,
        "whatsapp",
        "statuses",
        [
            # w1: delivered and read (the read also arrived in an overlapping export).
            status("w1", "sent", 0, "5511987650001"),
            status("w1", "delivered", 5, "5511987650001"),
            status("w1", "read", 60, "5511987650001"),
            status("w1", "read", 60, "5511987650001", _file_name="whatsapp__statuses__20260817"),
            # w2: failed.
            status("w2", "sent", 0, "5511987650002"),
            status("w2", "failed", 5, "5511987650002", errors__code="131026"),
            # w3: no delivered status, but answered SAIR through its context id: delivered and unsubscribed.
            status("w3", "sent", 0, "5511987650003"),
            # w4: delivered; a plain reply from the number without the ninth digit, no context id.
            status("w4", "sent", 0, "5511987650004"),
            status("w4", "delivered", 5, "5511987650004"),
            # an unknown status: quarantined.
            status("w4", "pending", 6, "5511987650004"),
        ],
    )
    write(
        root,
        "whatsapp",
        "messages",
        [
            {
                "id": "in1",
                "from": "5511987650003",
                "timestamp": T0 + 300,
                "text__body": " sair ",
                "context__id": "w3",
                "_loaded_at": LOADED,
                "_file_name": "whatsapp__messages__20260810",
            },
            {
                "id": "in2",
                "from": "551187650004",
                "timestamp": T0 + 400,
                "text__body": "Obrigado!",
                "_loaded_at": LOADED,
                "_file_name": "whatsapp__messages__20260810",
            },
        ],
    )
    write(
        root,
        "twilio",
        "messages",
        [
            resource("s1", "delivered", "+5521987650001", 0),
            resource("s2", "undelivered", "+5521987650002", 0, error_code="30005"),
            resource("s3", "delivered", "+5521987650003", 0),
            # s4: scheduled, then canceled: never sent.
            resource("s4", "canceled", "+5521987650004", 0, date_sent=None),
            # STOP from s3's number written without +55: an opt-out answering s3.
            resource("in3", "received", "21987650003", 600, direction="inbound", body="STOP", price=None),
        ],
    )
    write(
        root,
        "twilio",
        "status_callbacks",
        [
            callback("s1", "queued", "+5521987650001"),
            callback("s1", "delivered", "+5521987650001", raw_dlr_done_date="2608060000"),
            callback("s2", "queued", "+5521987650002"),
            callback("s2", "undelivered", "+5521987650002", error_code="30005"),
            callback("s3", "delivered", "+5521987650003"),
            callback("s3", "delivered", "+5521987650003", _loaded_at=LOADED_LATER),
        ],
    )
    return root


@pytest.fixture(scope="module")
def tiny_kpis(tiny_world: Path) -> pd.DataFrame:
    return bench.compute(tiny_world, progress=False).set_index(["campaign_id", "channel"])


def test_email_kpis_by_hand(tiny_kpis: pd.DataFrame) -> None:
    row = tiny_kpis.loc[("cmp_email", "email")]
    # sent m1..m4; delivered m1, m2, m4; opened m1 (machine open of m2 excluded); clicked m1; unsubscribed m4.
    assert row[bench.COUNT_COLUMNS].tolist() == [4, 3, 1, 1, 1]
    assert row["delivery_rate"] == pytest.approx(3 / 4, abs=1e-12)
    assert row["open_rate"] == pytest.approx(1 / 3, abs=1e-12)
    assert row["click_through_rate"] == pytest.approx(1 / 3, abs=1e-12)
    assert row["unsubscribe_rate"] == pytest.approx(1 / 3, abs=1e-12)


def test_whatsapp_kpis_by_hand(tiny_kpis: pd.DataFrame) -> None:
    row = tiny_kpis.loc[("cmp_whatsapp", "whatsapp")]
    # sent w1..w4; delivered w1, w3 (implied by its answer), w4; read w1; no vendor clicks; SAIR on w3.
    assert row[bench.COUNT_COLUMNS].tolist() == [4, 3, 1, 0, 1]
    assert row["delivery_rate"] == pytest.approx(3 / 4, abs=1e-12)
    assert row["open_rate"] == pytest.approx(1 / 3, abs=1e-12)
    assert math.isnan(row["click_through_rate"])  # WhatsApp exports carry no clicks
    assert row["unsubscribe_rate"] == pytest.approx(1 / 3, abs=1e-12)


def test_sms_kpis_by_hand(tiny_kpis: pd.DataFrame) -> None:
    row = tiny_kpis.loc[("cmp_sms", "sms")]
    # sent s1..s3 (s4 was canceled before sending); delivered s1, s3; STOP answers s3.
    assert row[bench.COUNT_COLUMNS].tolist() == [3, 2, 0, 0, 1]
    assert row["delivery_rate"] == pytest.approx(2 / 3, abs=1e-12)
    assert math.isnan(row["open_rate"])  # SMS opens are not tracked
    assert math.isnan(row["click_through_rate"])
    assert row["unsubscribe_rate"] == pytest.approx(1 / 2, abs=1e-12)
    assert len(tiny_kpis) == 3  # s4 (never sent, no campaign) adds no row


def test_zero_denominator_gives_null() -> None:
    kpis = bench.add_rates(
        pd.DataFrame(
            {
                "campaign_id": ["c"],
                "channel": ["email"],
                "messages_sent": [2],
                "messages_delivered": [0],
                "unique_openers": [0],
                "unique_clickers": [0],
                "messages_unsubscribed": [0],
            }
        )
    )
    assert kpis.loc[0, "delivery_rate"] == 0.0
    assert kpis[["open_rate", "click_through_rate", "unsubscribe_rate"]].isna().all(axis=None)


def test_normalize_phone_br() -> None:
    phones = pd.Series(["+55 11 98765-4321", "(11) 8765-4321", "551187654321", "11 3004-5281", "123", None])
    assert bench.normalize_phone_br(phones).tolist()[:4] == [
        "+5511987654321",
        "+5511987654321",
        "+5511987654321",
        "+551130045281",
    ]
    assert bench.normalize_phone_br(phones).isna().tolist()[4:] == [True, True]


def test_compare_kpis(tiny_kpis: pd.DataFrame) -> None:
    ours = tiny_kpis.reset_index()
    assert bench.compare_kpis(ours, ours.copy()).empty

    nearly = ours.copy()
    nearly["delivery_rate"] += 1e-12
    assert bench.compare_kpis(ours, nearly).empty

    changed = ours.copy()
    changed.loc[changed["channel"] == "sms", "messages_delivered"] = 3
    changed = bench.add_rates(changed)
    diff = bench.compare_kpis(ours, changed)
    assert set(diff["column"]) == {"messages_delivered", "delivery_rate", "unsubscribe_rate"}
    assert set(diff["channel"]) == {"sms"}
    assert diff.loc[diff["column"] == "delivery_rate", "warehouse"].item() == pytest.approx(1.0)

    missing = bench.compare_kpis(ours, ours[ours["channel"] != "email"])
    assert set(missing["channel"]) == {"email"}
    assert len(missing) == len(bench.COUNT_COLUMNS) + len(bench.RATE_COLUMNS)


def test_sizes() -> None:
    assert [parse_size(s) for s in ("200k", "1M", "10M", "1.5M", "100000")] == [
        200_000,
        1_000_000,
        10_000_000,
        1_500_000,
        100_000,
    ]
    assert [size_label(n) for n in (200_000, 1_000_000, 10_000_000, 100_000_000)] == ["200k", "1M", "10M", "100M"]


def test_folder_bytes_sums_nested_files(tmp_path: Path) -> None:
    assert folder_bytes(tmp_path / "absent") == 0
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.tmp").write_bytes(b"1" * 1000)
    (tmp_path / "y.tmp").write_bytes(b"2" * 24)
    assert folder_bytes(tmp_path) == 1024


def test_run_measured_keeps_the_peak_size_of_a_watched_folder(tmp_path: Path) -> None:
    """A child that writes 2 MB to the watched folder and deletes it: the peak is seen, though the folder ends
    empty (as DuckDB's temp_directory does after a build that spilled)."""
    spill = tmp_path / "spill"
    child = (
        "import pathlib, time, sys; folder = pathlib.Path(sys.argv[1]); folder.mkdir(); "
        "(folder / 'block.tmp').write_bytes(b'0' * 2_000_000); time.sleep(1.0); (folder / 'block.tmp').unlink()"
    )
    measure = run_measured(
        "spill", [sys.executable, "-c", child, str(spill)], {}, tmp_path / "log.txt", interval=0.05, watch_dir=spill
    )
    assert measure.ok
    assert folder_bytes(spill) == 0
    assert measure.peak_dir_bytes == 2_000_000


def test_node_time_by_kind_sums_node_times_per_kind(tmp_path: Path) -> None:
    nodes = {
        "model.jornada.stg_a": {"config": {"materialized": "incremental"}},
        "model.jornada.int_b": {"config": {"materialized": "table"}},
        "model.jornada.int_c": {"config": {"materialized": "table"}},
    }
    results = [
        {"unique_id": "model.jornada.stg_a", "execution_time": 4.0},
        {"unique_id": "model.jornada.int_b", "execution_time": 2.5},
        {"unique_id": "model.jornada.int_c", "execution_time": 1.0},
        {"unique_id": "test.jornada.unique_stg_a_id.abc", "execution_time": 0.25},
        {"unique_id": "test.jornada.not_null_stg_a_id.def", "execution_time": 0.5},
        {"unique_id": "unit_test.jornada.stg_a.case", "execution_time": 1.5},
        {"unique_id": "seed.jornada.country_codes", "execution_time": None},
    ]
    (tmp_path / "manifest.json").write_text(json.dumps({"nodes": nodes}))
    (tmp_path / "run_results.json").write_text(json.dumps({"results": results}))
    totals = node_time_by_kind(tmp_path)
    assert totals == {
        "incremental models": 4.0,
        "table models": 3.5,
        "unit tests": 1.5,
        "data tests": 0.75,
        "seeds": 0.0,
    }
    assert list(totals) == ["incremental models", "table models", "unit tests", "data tests", "seeds"]  # largest first
    assert fmt_time_by_kind(totals) == "incremental models 4.0, table models 3.5, unit tests 1.5, data tests 0.8"
    assert node_time_by_kind(tmp_path / "missing") == {}
