"""The simulated world behind the demo exports.

`build_world` decides what *happened*: who the persons are, which campaigns
were sent to whom, who opened, clicked, browsed, bought, chatted, opened a
ticket, subscribed and churned. Renderers in `jornada_gen.sources` only decide
how each tool *exports* those facts, so every source tells the same story and
cross-channel joins in the warehouse find real matches.

All datetimes here are timezone-aware UTC. Business hours are simulated in
America/Sao_Paulo (UTC-3, no daylight saving since 2019).
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from jornada_gen import names

BUSINESS_TZ = ZoneInfo("America/Sao_Paulo")


@dataclass
class Person:
    key: int
    first_name: str
    last_name: str
    email: str
    phone: str  # E.164 with the ninth digit, e.g. +5511987654321
    city: str
    state: str
    created_at: datetime
    original_source: str  # HubSpot analytics source
    engagement: float  # 0..1, how much the person reacts to messages
    buy_propensity: float  # 0..1
    email_optin: bool
    whatsapp_optin: bool
    sms_optin: bool
    devices: list[str]  # GA4 user_pseudo_id per device
    has_identity_variants: bool  # planted: differently written email and phone
    old_whatsapp_id: bool  # WhatsApp wa_id registered without the ninth digit
    churned_at: datetime | None = None
    company_phone: str | None = None  # planted: a shared company switchboard given as "my phone"
    crm_contact_id: str = ""
    store_customer_id: str | None = None
    billing_customer_id: str | None = None


@dataclass
class Campaign:
    campaign_id: str
    name: str
    channel: str  # email | whatsapp | sms
    journey: str  # promo | newsletter | welcome | cart_recovery | win_back | post_purchase
    send_at: datetime | None  # None for triggered journeys
    variants: list[str]
    subject: str


@dataclass
class Message:
    message_id: str
    campaign: Campaign
    person: Person
    channel: str
    variant: str
    sent_at: datetime
    outcome: str  # delivered | bounce_hard | bounce_soft | dropped | failed | undelivered
    delivered_at: datetime | None = None
    deferred: bool = False
    open_times: list[datetime] = field(default_factory=list)
    machine_open: bool = False
    click_times: list[datetime] = field(default_factory=list)
    click_url: str = ""
    reply_at: datetime | None = None
    reply_text: str = ""
    unsubscribed_at: datetime | None = None
    spam_at: datetime | None = None
    checkout_id: str | None = None  # cart-recovery messages point at their checkout


@dataclass
class Session:
    session_key: str
    person: Person | None
    user_pseudo_id: str
    user_id: str | None
    ga_session_id: int
    started_at: datetime
    source: str
    medium: str
    campaign: str | None
    page_views: list[tuple[datetime, str]]
    engagement_msec: int
    order_id: str | None = None
    checkout_started_at: datetime | None = None


@dataclass
class Checkout:
    checkout_id: str
    token: str
    person: Person
    created_at: datetime
    lines: list[tuple[str, str, int, Decimal, bool]]
    completed_at: datetime | None
    recovery_messages: list[Message] = field(default_factory=list)
    order_id: str | None = None


@dataclass
class Order:
    order_id: str
    order_number: int
    person: Person
    created_at: datetime
    lines: list[tuple[str, str, int, Decimal, bool]]
    discount: Decimal
    shipping: Decimal
    financial_status: str  # paid | pending | refunded | partially_refunded
    cancelled_at: datetime | None
    cancel_reason: str | None
    refunds: list[tuple[str, datetime, Decimal]]
    session: Session | None
    checkout_id: str | None
    landing_campaign: str | None

    @property
    def subtotal(self) -> Decimal:
        return sum((price * qty for _, _, qty, price, _ in self.lines), Decimal("0"))

    @property
    def total(self) -> Decimal:
        return self.subtotal - self.discount + self.shipping


@dataclass
class Chat:
    conversation_id: str
    person: Person | None
    user_pseudo_id: str | None
    started_at: datetime
    bot_ended_at: datetime
    escalated: bool
    agent: str | None
    human_started_at: datetime | None
    ended_at: datetime
    outcome: str  # resolved_by_bot | resolved_by_agent | abandoned | lead | order
    articles: list[tuple[str, datetime, bool | None]]
    provided_email: bool


@dataclass
class Ticket:
    ticket_id: int
    person: Person
    created_at: datetime
    via: str  # email | web | chat | voice | whatsapp
    reason: str
    priority: str  # low | normal | high | urgent
    agent: str
    first_reply_at: datetime | None
    solved_at: datetime | None
    handling_minutes: int
    replies: int
    reopens: int


@dataclass
class Subscription:
    subscription_id: str
    person: Person
    plan: str  # monthly | annual
    unit_amount: Decimal  # price per interval
    interval: str  # month | year
    created_at: datetime
    canceled_at: datetime | None
    downgraded_at: datetime | None


@dataclass
class World:
    start: date
    days: int
    persons: list[Person]
    campaigns: list[Campaign]
    messages: list[Message]
    sessions: list[Session]
    checkouts: list[Checkout]
    orders: list[Order]
    chats: list[Chat]
    tickets: list[Ticket]
    subscriptions: list[Subscription]
    agents: list[str]

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time(0), BUSINESS_TZ).astimezone(UTC)

    @property
    def end_at(self) -> datetime:
        return self.start_at + timedelta(days=self.days)


def local_business_time(rng: random.Random, day: date, start_hour: int = 8, end_hour: int = 20) -> datetime:
    """A UTC instant inside business hours of `day` in São Paulo."""
    seconds = rng.randrange(start_hour * 3600, end_hour * 3600)
    local = datetime.combine(day, time(0), BUSINESS_TZ) + timedelta(seconds=seconds)
    return local.astimezone(UTC)


def ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return plain.lower().replace(" ", "")


class WorldBuilder:
    """Builds one deterministic world: same arguments, same world."""

    def __init__(self, persons: int, days: int, seed: int, start: date) -> None:
        self.rng = random.Random(seed)
        self.n_persons = persons
        self.days = days
        self.start = start
        self.start_at = datetime.combine(start, time(0), BUSINESS_TZ).astimezone(UTC)
        self.end_at = self.start_at + timedelta(days=days)
        self.messages: list[Message] = []
        self.sessions: list[Session] = []
        self.checkouts: list[Checkout] = []
        self.orders: list[Order] = []
        self._order_number = 1000
        self._counter = 0

    def next_id(self, prefix: str) -> str:
        self._counter += 1
        return f"{prefix}{self._counter:07d}"

    def day(self, offset: int) -> date:
        return self.start + timedelta(days=offset)

    # ------------------------------------------------------------------ persons
    def make_persons(self) -> list[Person]:
        rng = self.rng
        persons: list[Person] = []
        used_emails: set[str] = set()
        for key in range(1, self.n_persons + 1):
            first = rng.choice(names.FIRST_NAMES)
            last = rng.choice(names.LAST_NAMES)
            if rng.random() < 0.4:
                last = f"{rng.choice(names.LAST_NAMES)} {last}"
            base = f"{ascii_slug(first)}.{ascii_slug(last.split()[-1])}"
            email = f"{base}@{rng.choice(names.EMAIL_DOMAINS)}"
            suffix = 1
            while email in used_emails:
                suffix += 1
                email = f"{base}{suffix}@{email.split('@')[1]}"
            used_emails.add(email)
            area, city, state = rng.choice(names.AREA_CODES)
            # Mobile numbers: 9 + a subscriber number starting 6-9 (mobile ranges before
            # the ninth digit was added, which is how normalisation recognises them).
            phone = f"+55{area}9{rng.randrange(60_000_000, 100_000_000)}"
            is_new = rng.random() < 0.3
            if is_new:
                created_at = local_business_time(rng, self.day(rng.randrange(self.days)))
                source = rng.choices(
                    ["ORGANIC_SEARCH", "PAID_SOCIAL", "SOCIAL_MEDIA", "DIRECT_TRAFFIC", "OTHER_CAMPAIGNS", "REFERRALS"],
                    [30, 25, 15, 15, 10, 5],
                )[0]
            else:
                created_at = local_business_time(rng, self.start - timedelta(days=rng.randrange(30, 720)))
                source = rng.choice(["ORGANIC_SEARCH", "PAID_SOCIAL", "DIRECT_TRAFFIC", "OFFLINE", "REFERRALS"])
            devices = [f"{rng.randrange(10**9, 10**10)}.{rng.randrange(10**9, 10**10)}"]
            if rng.random() < 0.35:
                devices.append(f"{rng.randrange(10**9, 10**10)}.{rng.randrange(10**9, 10**10)}")
            persons.append(
                Person(
                    key=key,
                    first_name=first,
                    last_name=last,
                    email=email,
                    phone=phone,
                    city=city,
                    state=state,
                    created_at=created_at,
                    original_source=source,
                    engagement=rng.betavariate(2, 4),
                    buy_propensity=rng.betavariate(1.5, 6),
                    email_optin=rng.random() < 0.85,
                    whatsapp_optin=rng.random() < 0.6,
                    sms_optin=rng.random() < 0.45,
                    devices=devices,
                    has_identity_variants=rng.random() < 0.03,
                    old_whatsapp_id=rng.random() < 0.15,
                    crm_contact_id=str(5000 + key * 7),
                )
            )
            if rng.random() < 0.12:
                churn_day = rng.randrange(10, self.days)
                persons[-1].churned_at = local_business_time(rng, self.day(churn_day))
        # Six employees of one café chain all give its switchboard as their phone
        # (chosen by key, not by the rng, so the rest of the world is unchanged).
        for person in persons:
            if person.key % 333 == 7:
                person.company_phone = "+551130031234"
        return persons

    def active(self, person: Person, at: datetime) -> bool:
        return person.created_at <= at and (person.churned_at is None or at < person.churned_at)

    # ---------------------------------------------------------------- campaigns
    def make_campaigns(self) -> list[Campaign]:
        rng = self.rng
        campaigns: list[Campaign] = []
        plan = [("email", 5, ["promo", "newsletter"]), ("whatsapp", 9, ["promo"]), ("sms", 13, ["promo", "win_back"])]
        subjects = {
            "promo": ["Frete grátis no fim de semana", "Cafés com 20% off", "Lançamento: kit degustação"],
            "newsletter": ["Novidades da torrefação", "Receitas com café", "Guia de métodos de preparo"],
            "win_back": ["Sentimos sua falta: 15% off", "Volte a tomar um café com a gente"],
        }
        number = 0
        for channel, every, journeys in plan:
            offset = rng.randrange(1, every)
            while offset < self.days:
                number += 1
                journey = rng.choice(journeys)
                day = self.day(offset)
                hour = rng.choice([9, 10, 11, 14, 16, 18, 19])
                send_local = datetime.combine(day, time(hour), BUSINESS_TZ)
                is_ab = number % 3 == 0
                campaigns.append(
                    Campaign(
                        campaign_id=f"cmp_{number:04d}",
                        name=f"{journey}_{channel}_{day.isoformat()}",
                        channel=channel,
                        journey=journey,
                        send_at=send_local.astimezone(UTC),
                        variants=["A", "B"] if is_ab else ["A"],
                        subject=rng.choice(subjects[journey]),
                    )
                )
                offset += every + rng.randrange(-1, 2)
        for channel in ("email", "whatsapp", "sms"):
            number += 1
            campaigns.append(
                Campaign(
                    f"cmp_{number:04d}",
                    f"cart_recovery_{channel}",
                    channel,
                    "cart_recovery",
                    None,
                    ["A"],
                    "Você esqueceu algo no carrinho",
                )
            )
        number += 1
        campaigns.append(
            Campaign(
                f"cmp_{number:04d}", "welcome_email", "email", "welcome", None, ["A"], "Boas-vindas à Jornada Café"
            )
        )
        return campaigns

    # ----------------------------------------------------------------- messages
    def send(self, campaign: Campaign, person: Person, at: datetime, variant: str) -> Message:
        rng = self.rng
        channel = campaign.channel
        lift = 1.25 if variant == "B" else 1.0
        message = Message(self.next_id("m"), campaign, person, channel, variant, at, "delivered")
        self.messages.append(message)
        roll = rng.random()
        if channel == "email":
            if roll < 0.005:
                message.outcome = "dropped"
            elif roll < 0.017:
                message.outcome = "bounce_hard"
            elif roll < 0.025:
                message.outcome = "bounce_soft"
        elif channel == "whatsapp":
            if roll < 0.03:
                message.outcome = "failed"
        elif roll < 0.02:
            message.outcome = "failed"
        elif roll < 0.05:
            message.outcome = "undelivered"
        if message.outcome != "delivered":
            return message
        message.deferred = channel == "email" and rng.random() < 0.03
        message.delivered_at = at + timedelta(
            seconds=rng.randrange(2, 900 if message.deferred else 40) * (60 if message.deferred else 1)
        )
        read_chance = {"email": 0.45, "whatsapp": 0.85, "sms": 0.0}[channel] * (0.4 + person.engagement)
        if rng.random() < read_chance * lift:
            first_open = message.delivered_at + timedelta(minutes=rng.expovariate(1 / 180))
            message.open_times = [first_open]
            if rng.random() < 0.3:
                message.open_times.append(first_open + timedelta(hours=rng.uniform(1, 48)))
            message.machine_open = channel == "email" and rng.random() < 0.12
        click_base = {"email": 0.16, "whatsapp": 0.22, "sms": 0.05}[channel]
        can_click = bool(message.open_times) or channel == "sms"
        if can_click and not message.machine_open and rng.random() < click_base * (0.5 + person.engagement) * lift:
            origin = message.open_times[0] if message.open_times else message.delivered_at
            message.click_times = [origin + timedelta(seconds=rng.randrange(5, 600))]
            if rng.random() < 0.25:
                message.click_times.append(message.click_times[0] + timedelta(minutes=rng.randrange(2, 300)))
            medium = "email" if channel == "email" else "messaging"
            message.click_url = (
                "https://jornadacafe.com.br/ofertas"
                f"?utm_source={channel}&utm_medium={medium}&utm_campaign={campaign.campaign_id}"
            )
        if channel in ("whatsapp", "sms") and rng.random() < {"whatsapp": 0.10, "sms": 0.03}[channel] * (
            0.5 + person.engagement
        ):
            message.reply_at = message.delivered_at + timedelta(minutes=rng.expovariate(1 / 240))
            message.reply_text = rng.choice(
                ["Quero saber mais", "Obrigado!", "Qual o prazo de entrega?", "👍", "Tem cupom?"]
            )
        opt_out = {"email": 0.004, "whatsapp": 0.006, "sms": 0.009}[channel]
        if rng.random() < opt_out:
            base = message.open_times[0] if message.open_times else message.delivered_at
            message.unsubscribed_at = base + timedelta(minutes=rng.randrange(1, 600))
            if channel in ("whatsapp", "sms"):
                message.reply_at = message.unsubscribed_at
                message.reply_text = rng.choice(["PARAR", "SAIR", "STOP", "Sair"])
        if channel == "email" and rng.random() < 0.0015:
            message.spam_at = message.delivered_at + timedelta(minutes=rng.randrange(5, 2000))
        return message

    def run_campaigns(self, persons: list[Person], campaigns: list[Campaign]) -> None:
        rng = self.rng
        for campaign in campaigns:
            if campaign.send_at is None:
                continue
            share = rng.uniform(0.3, 0.8)
            for person in persons:
                if not self.active(person, campaign.send_at) or rng.random() > share:
                    continue
                optin = {"email": person.email_optin, "whatsapp": person.whatsapp_optin, "sms": person.sms_optin}
                if not optin[campaign.channel]:
                    continue
                if campaign.journey == "win_back" and person.buy_propensity > 0.3:
                    continue
                at = campaign.send_at + timedelta(seconds=rng.randrange(0, 1800))
                variant = rng.choice(campaign.variants)
                message = self.send(campaign, person, at, variant)
                for click_at in message.click_times[:1]:
                    self.browse(
                        person,
                        click_at,
                        campaign.channel,
                        "email" if campaign.channel == "email" else "messaging",
                        campaign.campaign_id,
                        intent=0.12 + (0.05 if variant == "B" else 0.0),
                    )

    # ------------------------------------------------------------------ web/store
    def browse(
        self,
        person: Person | None,
        at: datetime,
        source: str,
        medium: str,
        campaign: str | None,
        intent: float,
        device: str | None = None,
    ) -> Session:
        rng = self.rng
        pseudo = device or (
            rng.choice(person.devices) if person else f"{rng.randrange(10**9, 10**10)}.{rng.randrange(10**9, 10**10)}"
        )
        logged_in = person is not None and person.store_customer_id is not None and rng.random() < 0.6
        n_pages = 1 if rng.random() < 0.35 else rng.randrange(2, 9)
        views = []
        t = at
        pages = [
            "/",
            "/cafes",
            "/cafes/especial-250g",
            "/equipamentos",
            "/kits",
            "/assinatura",
            "/carrinho",
            "/blog/metodos",
        ]
        for _ in range(n_pages):
            views.append((t, "https://jornadacafe.com.br" + rng.choice(pages)))
            t += timedelta(seconds=rng.randrange(8, 240))
        engagement = rng.randrange(0, 9000) if n_pages == 1 else rng.randrange(10_000, 600_000)
        session = Session(
            session_key=self.next_id("s"),
            person=person,
            user_pseudo_id=pseudo,
            user_id=person.store_customer_id if (person and logged_in) else None,
            ga_session_id=int(at.timestamp()),
            started_at=at,
            source=source,
            medium=medium,
            campaign=campaign,
            page_views=views,
            engagement_msec=engagement,
        )
        self.sessions.append(session)
        if person is not None and n_pages > 1 and rng.random() < intent * (0.5 + 3 * person.buy_propensity):
            self.checkout(person, views[-1][0] + timedelta(seconds=30), session)
        return session

    def pick_lines(self) -> list[tuple[str, str, int, Decimal, bool]]:
        rng = self.rng
        main = [p for p in names.PRODUCTS if not p[4]]
        extra = [p for p in names.PRODUCTS if p[4]]
        lines = []
        for product in rng.sample(main, rng.choice([1, 1, 1, 2])):
            lines.append((product[0], product[1], rng.choice([1, 1, 2, 3]), Decimal(product[3]), False))
        if rng.random() < 0.25:
            product = rng.choice(extra)
            lines.append((product[0], product[1], 1, Decimal(product[3]), True))
        return lines

    def checkout(self, person: Person, at: datetime, session: Session | None) -> Checkout:
        rng = self.rng
        token = f"{rng.getrandbits(128):032x}"
        checkout = Checkout(self.next_id("c"), token, person, at, self.pick_lines(), None)
        if session is not None:
            session.checkout_started_at = at
        if rng.random() < 0.62:
            checkout.completed_at = at + timedelta(minutes=rng.randrange(2, 40))
            order = self.place_order(person, checkout.completed_at, checkout.lines, session, checkout.checkout_id)
            checkout.order_id = order.order_id
        self.checkouts.append(checkout)
        return checkout

    def place_order(
        self, person: Person, at: datetime, lines: list, session: Session | None, checkout_id: str | None
    ) -> Order:
        rng = self.rng
        self._order_number += 1
        if person.store_customer_id is None:
            person.store_customer_id = str(7_000_000_000 + person.key * 13)
        order = Order(
            order_id=str(5_100_000_000 + self._order_number * 17),
            order_number=self._order_number,
            person=person,
            created_at=at,
            lines=lines,
            discount=Decimal("0.00") if rng.random() < 0.7 else Decimal(rng.choice(["5.00", "10.00", "15.00"])),
            shipping=Decimal("0.00") if rng.random() < 0.5 else Decimal("19.90"),
            financial_status="paid",
            cancelled_at=None,
            cancel_reason=None,
            refunds=[],
            session=session,
            checkout_id=checkout_id,
            landing_campaign=session.campaign if session else None,
        )
        roll = rng.random()
        if roll < 0.03:
            order.cancelled_at = at + timedelta(hours=rng.randrange(1, 48))
            order.cancel_reason = rng.choice(["customer", "inventory", "fraud", "declined"])
            order.financial_status = "voided"
        elif roll < 0.05:
            order.financial_status = "pending"
        elif roll < 0.10:
            line_price = order.lines[0][3].quantize(Decimal("0.01"))
            amount = order.total if rng.random() < 0.5 else min(line_price, order.total)
            order.refunds.append((self.next_id("r"), at + timedelta(days=rng.randrange(2, 20)), amount))
            order.financial_status = "refunded" if amount == order.total else "partially_refunded"
        if session is not None:
            session.order_id = order.order_id
        self.orders.append(order)
        return order

    def organic_traffic(self, persons: list[Person]) -> None:
        rng = self.rng
        sources = [
            ("google", "organic", None, 40),
            ("(direct)", "(none)", None, 25),
            ("instagram", "social", None, 12),
            ("facebook", "cpc", "ads_meta_conversao", 13),
            ("google", "cpc", "ads_google_search", 10),
        ]
        for person in persons:
            visits = rng.randrange(0, 4) + (1 if person.buy_propensity > 0.3 else 0)
            for _ in range(visits):
                at = local_business_time(rng, self.day(rng.randrange(self.days)), 7, 23)
                if not self.active(person, at):
                    continue
                source, medium, campaign, _ = rng.choices(sources, [s[3] for s in sources])[0]
                self.browse(person, at, source, medium, campaign, intent=0.15)
        for _ in range(self.n_persons // 2):
            at = local_business_time(rng, self.day(rng.randrange(self.days)), 7, 23)
            source, medium, campaign, _ = rng.choices(sources, [s[3] for s in sources])[0]
            self.browse(None, at, source, medium, campaign, intent=0.0)

    def historical_orders(self, persons: list[Person]) -> None:
        """Orders from the 180 days before the window, for retention and churn history."""
        rng = self.rng
        for person in persons:
            if person.created_at >= self.start_at or rng.random() > 0.45:
                continue
            for _ in range(rng.choice([1, 1, 2, 3])):
                day = self.start - timedelta(days=rng.randrange(1, 180))
                at = local_business_time(rng, day)
                if at > person.created_at:
                    self.place_order(person, at, self.pick_lines(), None, None)

    def recover_carts(self, campaigns: list[Campaign]) -> None:
        rng = self.rng
        recovery = {c.channel: c for c in campaigns if c.journey == "cart_recovery"}
        for checkout in list(self.checkouts):
            if checkout.completed_at is not None or checkout.created_at >= self.end_at:
                continue
            person = checkout.person
            channel = "whatsapp" if person.whatsapp_optin else ("email" if person.email_optin else None)
            if channel is None or rng.random() < 0.15:
                continue
            message = self.send(recovery[channel], person, checkout.created_at + timedelta(hours=1), "A")
            message.checkout_id = checkout.checkout_id
            checkout.recovery_messages.append(message)
            if message.outcome == "delivered" and rng.random() < 0.25:
                completed = checkout.created_at + timedelta(hours=rng.choice([3, 8, 20, 25, 30, 50]))
                if completed < self.end_at:
                    checkout.completed_at = completed
                    order = self.place_order(person, completed, checkout.lines, None, checkout.checkout_id)
                    order.landing_campaign = recovery[channel].campaign_id
                    checkout.order_id = order.order_id

    def welcome(self, persons: list[Person], campaigns: list[Campaign]) -> None:
        campaign = next(c for c in campaigns if c.journey == "welcome")
        for person in persons:
            if self.start_at <= person.created_at < self.end_at and person.email_optin:
                message = self.send(campaign, person, person.created_at + timedelta(minutes=5), "A")
                for click_at in message.click_times[:1]:
                    self.browse(person, click_at, "email", "email", campaign.campaign_id, intent=0.2)

    # ------------------------------------------------------------ service/billing
    def make_chats(self, persons: list[Person], agents: list[str]) -> list[Chat]:
        rng = self.rng
        chats = []
        from jornada_gen.names import BOT_ARTICLES

        candidates = [p for p in persons if rng.random() < 0.14] + [None] * (self.n_persons // 10)
        for number, person in enumerate(candidates, start=1):
            started = local_business_time(rng, self.day(rng.randrange(self.days)), 7, 23)
            if person is not None and not self.active(person, started):
                continue
            bot_end = started + timedelta(seconds=rng.randrange(30, 400))
            articles = []
            for _ in range(rng.choice([0, 1, 1, 2])):
                article = rng.choice(BOT_ARTICLES)[0]
                vote = rng.choice([True, True, False, None])
                articles.append((article, started + timedelta(seconds=rng.randrange(10, 300)), vote))
            roll = rng.random()
            escalated = roll < 0.3
            agent = rng.choice(agents) if escalated else None
            human_start = bot_end + timedelta(seconds=rng.randrange(20, 900)) if escalated else None
            ended = (human_start + timedelta(minutes=rng.randrange(3, 40))) if human_start else bot_end
            if escalated:
                outcome = "resolved_by_agent" if rng.random() < 0.85 else "abandoned"
            elif roll < 0.5:
                outcome = "abandoned"
            elif roll < 0.6 and person is not None:
                outcome = "order"
            elif roll < 0.7 and person is not None:
                outcome = "lead"
            else:
                outcome = "resolved_by_bot"
            chat = Chat(
                f"conv_{number:06d}",
                person,
                rng.choice(person.devices) if person else None,
                started,
                bot_end,
                escalated,
                agent,
                human_start,
                ended,
                outcome,
                articles,
                person is not None,
            )
            if outcome == "order" and person is not None:
                self.place_order(person, ended + timedelta(minutes=2), self.pick_lines(), None, None)
            chats.append(chat)
        return chats

    def make_tickets(self, persons: list[Person], agents: list[str]) -> list[Ticket]:
        rng = self.rng
        tickets = []
        reasons, weights = zip(*names.CONTACT_REASONS, strict=True)
        buyers = {o.person.key: o for o in self.orders if o.created_at >= self.start_at}
        number = 10_000
        for person in persons:
            chance = 0.25 if person.key in buyers else 0.06
            if rng.random() > chance:
                continue
            for _ in range(rng.choice([1, 1, 1, 2])):
                number += 1
                created = local_business_time(rng, self.day(rng.randrange(self.days)), 6, 23)
                priority = rng.choices(["low", "normal", "high", "urgent"], [15, 60, 20, 5])[0]
                reply_minutes = rng.lognormvariate(3.6, 1.3)
                first_reply = created + timedelta(minutes=reply_minutes) if rng.random() < 0.96 else None
                solved = None
                if first_reply is not None and rng.random() < 0.9:
                    solved = first_reply + timedelta(minutes=rng.lognormvariate(5.5, 1.4))
                tickets.append(
                    Ticket(
                        number,
                        person,
                        created,
                        rng.choices(["email", "web", "chat", "voice", "whatsapp"], [35, 20, 15, 10, 20])[0],
                        rng.choices(reasons, weights)[0],
                        priority,
                        rng.choice(agents),
                        first_reply,
                        solved,
                        rng.randrange(4, 45),
                        rng.randrange(1, 6),
                        1 if rng.random() < 0.05 else 0,
                    )
                )
        return tickets

    def make_subscriptions(self, persons: list[Person]) -> list[Subscription]:
        rng = self.rng
        subscriptions = []
        for person in persons:
            if rng.random() > 0.09 + person.buy_propensity * 0.2:
                continue
            plan = rng.choices(["monthly", "annual"], [80, 20])[0]
            earliest = max(person.created_at, self.start_at - timedelta(days=365))
            span = int((self.end_at - earliest).total_seconds())
            created = earliest + timedelta(seconds=rng.randrange(max(span, 1)))
            canceled = None
            if person.churned_at is not None and person.churned_at > created:
                canceled = person.churned_at
            elif rng.random() < 0.1:
                canceled = created + timedelta(days=rng.randrange(20, 200))
                canceled = canceled if canceled < self.end_at else None
            downgraded = None
            if plan == "monthly" and canceled is None and rng.random() < 0.08:
                downgraded = created + timedelta(days=rng.randrange(10, 120))
                downgraded = downgraded if downgraded < self.end_at else None
            subscriptions.append(
                Subscription(
                    f"sub_{rng.getrandbits(56):014x}",
                    person,
                    plan,
                    Decimal("49.90") if plan == "monthly" else Decimal("499.00"),
                    "month" if plan == "monthly" else "year",
                    created,
                    canceled,
                    downgraded,
                )
            )
            if person.billing_customer_id is None:
                person.billing_customer_id = f"cus_{rng.getrandbits(56):014x}"
        return subscriptions

    def build(self) -> World:
        persons = self.make_persons()
        campaigns = self.make_campaigns()
        agents = list(names.AGENT_NAMES)
        self.historical_orders(persons)
        self.organic_traffic(persons)
        self.run_campaigns(persons, campaigns)
        self.welcome(persons, campaigns)
        self.recover_carts(campaigns)
        chats = self.make_chats(persons, agents)
        tickets = self.make_tickets(persons, agents)
        subscriptions = self.make_subscriptions(persons)
        self.sessions.sort(key=lambda s: s.started_at)
        self.orders.sort(key=lambda o: o.created_at)
        return World(
            self.start,
            self.days,
            persons,
            campaigns,
            self.messages,
            self.sessions,
            self.checkouts,
            self.orders,
            chats,
            tickets,
            subscriptions,
            agents,
        )


def build_world(persons: int = 2000, days: int = 90, seed: int = 42, start: date = date(2026, 8, 3)) -> World:
    """The deterministic simulated world for the given size and seed."""
    return WorldBuilder(persons, days, seed, start).build()
