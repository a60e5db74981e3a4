"""Web analytics: Google Analytics 4 BigQuery export.

One row per event of the GA4 property's daily export tables `events_YYYYMMDD`
(schema: https://support.google.com/analytics/answer/7029846 and
https://developers.google.com/analytics/bigquery/event-schema; automatically
collected and recommended event parameters:
https://support.google.com/analytics/answer/9234069), flattened the way a
loader such as dlt lands a BigQuery table:

- top-level fields keep their names (`event_date` as "YYYYMMDD" in the
  property's timezone America/Sao_Paulo, `event_timestamp` and
  `event_previous_timestamp` in microseconds since the epoch, UTC);
- nested records are flattened with `__` (`device.category` ->
  `device__category`, `collected_traffic_source.manual_source` ->
  `collected_traffic_source__manual_source`,
  `session_traffic_source_last_click.manual_campaign.source` ->
  `session_traffic_source_last_click__manual_campaign__source`);
- the repeated `event_params` record is unnested into one column per key the
  warehouse uses, `event_params__<key>`, holding the param's value as text
  (string_value or int_value, whichever GA4 fills).

Every web session of the world gives session_start (plus first_visit on a
device's first session), one page_view per page, user_engagement events that
carry the session's engagement time split over its pages, begin_checkout and
purchase (transaction_id = the Shopify order id, revenue = the order total).
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from datetime import datetime
from decimal import Decimal

from jornada_gen import names
from jornada_gen.exports import RawTable
from jornada_gen.world import BUSINESS_TZ, Checkout, Order, Session, World

COLUMNS = [
    "event_date",
    "event_timestamp",
    "event_name",
    "event_previous_timestamp",
    "user_pseudo_id",
    "user_id",
    "event_params__ga_session_id",
    "event_params__ga_session_number",
    "event_params__page_location",
    "event_params__page_referrer",
    "event_params__engagement_time_msec",
    "event_params__session_engaged",
    "event_params__source",
    "event_params__medium",
    "event_params__campaign",
    "event_params__currency",
    "event_params__value",
    "collected_traffic_source__manual_source",
    "collected_traffic_source__manual_medium",
    "collected_traffic_source__manual_campaign_name",
    "collected_traffic_source__manual_campaign_id",
    "collected_traffic_source__gclid",
    "session_traffic_source_last_click__manual_campaign__source",
    "session_traffic_source_last_click__manual_campaign__medium",
    "session_traffic_source_last_click__manual_campaign__campaign_name",
    "device__category",
    "device__operating_system",
    "geo__country",
    "geo__region",
    "geo__city",
    "platform",
    "stream_id",
    "ecommerce__transaction_id",
    "ecommerce__purchase_revenue",
    "ecommerce__total_item_quantity",
]

SITE = "https://jornadacafe.com.br"
STREAM_ID = "4821937065"

# GA4 geo names: English, unaccented; Brazilian states as "State of ...".
REGIONS = {
    "SP": "State of Sao Paulo",
    "RJ": "State of Rio de Janeiro",
    "MG": "State of Minas Gerais",
    "PR": "State of Parana",
    "SC": "State of Santa Catarina",
    "RS": "State of Rio Grande do Sul",
    "DF": "Federal District",
    "GO": "State of Goias",
    "BA": "State of Bahia",
    "PE": "State of Pernambuco",
    "CE": "State of Ceara",
    "ES": "State of Espirito Santo",
    "AM": "State of Amazonas",
}

# Referrer of the landing page, per session source.
REFERRERS = {
    "google": "https://www.google.com/",
    "instagram": "https://l.instagram.com/",
    "facebook": "https://m.facebook.com/",
}

Row = dict[str, str | None]


def _micros(at: datetime, rng: random.Random) -> int:
    """Event time in microseconds; world times are whole seconds, GA4's are not."""
    return int(at.timestamp()) * 1_000_000 + rng.randrange(1_000_000)


def _event_date(micros: int) -> str:
    return datetime.fromtimestamp(micros / 1_000_000, BUSINESS_TZ).strftime("%Y%m%d")


def _unaccented(text: str) -> str:
    """GA4 city names are unaccented: São Paulo -> Sao Paulo."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _money(amount: Decimal) -> str:
    """GA4 exports revenue as a FLOAT64: 99.8, 129.9, 45.0."""
    return repr(float(amount))


class Renderer:
    def __init__(self, world: World, rng: random.Random) -> None:
        self.world = world
        self.rng = rng
        self.table = RawTable(
            "ga4",
            "events",
            COLUMNS,
            "GA4 BigQuery export events (daily tables events_YYYYMMDD), one row per exported event; "
            "event_params unnested into event_params__<key> columns.",
            redeliveries=150,
            overlap=100,
        )
        self.orders: dict[str, Order] = {o.order_id: o for o in world.orders}
        self.checkouts: dict[tuple[int, datetime], Checkout] = {
            (c.person.key, c.created_at): c for c in world.checkouts
        }
        self.devices: dict[str, tuple[str, str, str, str]] = {}
        self.session_numbers: Counter[str] = Counter()
        self.previous: dict[tuple[str, str], int] = {}

    def device(self, session: Session) -> tuple[str, str, str, str]:
        """(category, operating system, region, city), fixed per user_pseudo_id."""
        pseudo = session.user_pseudo_id
        if pseudo not in self.devices:
            rng = self.rng
            category = rng.choices(["mobile", "desktop", "tablet"], [68, 28, 4])[0]
            if category == "desktop":
                system = rng.choices(["Windows", "Macintosh", "Linux"], [75, 22, 3])[0]
            else:
                system = rng.choices(["Android", "iOS"], [62, 38])[0]
            if session.person is not None:
                state, city = session.person.state, session.person.city
            else:
                _, city, state = rng.choice(names.AREA_CODES)
            self.devices[pseudo] = (category, system, REGIONS[state], _unaccented(city))
        return self.devices[pseudo]

    def render_session(self, session: Session) -> None:
        rng = self.rng
        pseudo = session.user_pseudo_id
        self.session_numbers[pseudo] += 1
        number = self.session_numbers[pseudo]
        category, system, region, city = self.device(session)
        order = self.orders.get(session.order_id) if session.order_id else None
        engaged = session.engagement_msec >= 10_000 or len(session.page_views) >= 2 or order is not None
        source, medium, campaign = session.source, session.medium, session.campaign
        if source == "(direct)":
            last_click_campaign = "(direct)"
        elif campaign is None:
            last_click_campaign = "(organic)" if medium == "organic" else "(referral)"
        else:
            last_click_campaign = campaign
        common: Row = {
            "user_pseudo_id": pseudo,
            "user_id": session.user_id,
            "event_params__ga_session_id": str(session.ga_session_id),
            "event_params__ga_session_number": str(number),
            "event_params__session_engaged": "1" if engaged else "0",
            "session_traffic_source_last_click__manual_campaign__source": source,
            "session_traffic_source_last_click__manual_campaign__medium": medium,
            "session_traffic_source_last_click__manual_campaign__campaign_name": last_click_campaign,
            "device__category": category,
            "device__operating_system": system,
            "geo__country": "Brazil",
            "geo__region": region,
            "geo__city": city,
            "platform": "WEB",
            "stream_id": STREAM_ID,
        }

        # The landing hit carries the campaign: utm parameters in the URL, the
        # event-scoped source/medium/campaign params and collected_traffic_source.
        landing: Row = {}
        query = ""
        if campaign is not None:
            query = f"?utm_source={source}&utm_medium={medium}&utm_campaign={campaign}"
            landing = {
                "event_params__source": source,
                "event_params__medium": medium,
                "event_params__campaign": campaign,
                "collected_traffic_source__manual_source": source,
                "collected_traffic_source__manual_medium": medium,
                "collected_traffic_source__manual_campaign_name": campaign,
            }
            if source == "google" and medium == "cpc":
                gclid = f"Cj0KCQjw{rng.getrandbits(120):030x}"
                query += f"&gclid={gclid}"
                landing["collected_traffic_source__gclid"] = gclid
        elif source != "(direct)":
            landing = {
                "event_params__source": source,
                "event_params__medium": medium,
                "event_params__campaign": last_click_campaign,
            }

        def emit(at_micros: int, event_name: str, **fields: str | None) -> None:
            previous = self.previous.get((pseudo, event_name))
            self.previous[(pseudo, event_name)] = at_micros
            row = dict(
                common,
                event_date=_event_date(at_micros),
                event_timestamp=str(at_micros),
                event_name=event_name,
                event_previous_timestamp=str(previous) if previous is not None else None,
                **fields,
            )
            at = datetime.fromtimestamp(at_micros / 1_000_000, session.started_at.tzinfo)
            self.table.add(at, row)

        views = session.page_views
        locations = [url for _, url in views]
        locations[0] += query
        first_at = _micros(views[0][0], rng)
        referrer = REFERRERS.get(source) if medium in ("organic", "cpc", "social", "referral") else None
        landing_page = {"event_params__page_location": locations[0], "event_params__page_referrer": referrer}
        if number == 1:
            emit(first_at, "first_visit", **landing_page, **landing)
        emit(first_at, "session_start", **landing_page, **landing)

        # Engagement time split over the pages; its sum is the session's.
        weights = [rng.random() + 0.05 for _ in views]
        shares = [int(session.engagement_msec * w / sum(weights)) for w in weights]
        shares[-1] += session.engagement_msec - sum(shares)
        for index, (at, _) in enumerate(views):
            page_at = first_at if index == 0 else _micros(at, rng)
            page: Row = {
                "event_params__page_location": locations[index],
                "event_params__page_referrer": referrer if index == 0 else locations[index - 1],
            }
            emit(page_at, "page_view", **page, **(landing if index == 0 else {}))
            if shares[index] > 0:
                if index + 1 < len(views):
                    leave_at = int(views[index + 1][0].timestamp()) * 1_000_000 - rng.randrange(1_000, 900_000)
                else:
                    leave_at = page_at + shares[index] * 1_000 + rng.randrange(1_000, 2_000_000)
                emit(
                    max(leave_at, page_at + 1),
                    "user_engagement",
                    event_params__page_location=locations[index],
                    event_params__engagement_time_msec=str(shares[index]),
                )

        if session.checkout_started_at is not None and session.person is not None:
            checkout = self.checkouts.get((session.person.key, session.checkout_started_at))
            fields: Row = {"event_params__page_location": f"{SITE}/checkout"}
            if checkout is not None:
                value = sum((price * qty for _, _, qty, price, _ in checkout.lines), Decimal("0"))
                fields["event_params__currency"] = "BRL"
                fields["event_params__value"] = _money(value)
                fields["ecommerce__total_item_quantity"] = str(sum(qty for _, _, qty, _, _ in checkout.lines))
            emit(_micros(session.checkout_started_at, rng), "begin_checkout", **fields)
        if order is not None:
            emit(
                _micros(order.created_at, rng),
                "purchase",
                event_params__page_location=f"{SITE}/checkout/obrigado",
                event_params__currency="BRL",
                event_params__value=_money(order.total),
                ecommerce__transaction_id=order.order_id,
                ecommerce__purchase_revenue=_money(order.total),
                ecommerce__total_item_quantity=str(sum(qty for _, _, qty, _, _ in order.lines)),
            )

    def plant_malformed(self) -> None:
        """Rows staging must quarantine, in known counts, one defect each."""
        rng = self.rng
        table = self.table
        rows = [row for _, row in table.rows]

        def shifted(row: Row) -> Row:
            # Another hit of the same kind, a few milliseconds later.
            micros = int(row["event_timestamp"] or 0) + rng.randrange(1_000, 50_000)
            return dict(row, event_timestamp=str(micros))

        start = self.world.start_at
        for row in rng.sample(rows, 3):
            bad = rng.choice(["2026-08-14 10:22:31 UTC", "1.7e+15x", "NaN"])
            table.add_malformed(start, dict(row, event_timestamp=bad), "unparseable_timestamp")
        for row in rng.sample(rows, 3):
            table.add_malformed(start, dict(shifted(row), user_pseudo_id=None), "missing_id")
        engagements = [row for row in rows if row["event_name"] == "user_engagement"]
        for row in rng.sample(engagements, 3):
            msec = f"{row['event_params__engagement_time_msec']}ms"
            table.add_malformed(start, dict(shifted(row), event_params__engagement_time_msec=msec), "invalid_value")
        purchases = [row for row in rows if row["event_name"] == "purchase"]
        for row in rng.sample(purchases, 1):
            revenue = f"R$ {row['ecommerce__purchase_revenue']}".replace(".", ",")
            table.add_malformed(start, dict(shifted(row), ecommerce__purchase_revenue=revenue), "invalid_value")


def render(world: World, rng: random.Random) -> list[RawTable]:
    renderer = Renderer(world, rng)
    for session in sorted(world.sessions, key=lambda s: s.started_at):
        renderer.render_session(session)
    renderer.plant_malformed()
    return [renderer.table]
