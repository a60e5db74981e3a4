"""Store exports of the bulk world: Shopify orders, line items, refunds, checkouts and customers.

Fields and formats as `jornada_gen.sources.shopify`: 64-bit integer ids, money
as decimal text in BRL, timestamps in ISO 8601 with the shop's offset. Each
object is exported once: checkouts and customers at their `updated_at`, orders
(and their line items) right after they are placed, already in their final
state (fulfilment, cancellation, refund status: a simplification that keeps
every order visible from its first export). An order
from a session lands on the session's page with its utm tags, and its id is
the GA4 purchase's transaction_id; a recovered cart lands on the recovery
link of the message that brought it back.
"""

from __future__ import annotations

from jornada_gen.bulk import refdata as ref
from jornada_gen.bulk.export import BulkTable, Defect, Window
from jornada_gen.bulk.plan import WorldPlan
from jornada_gen.bulk.sqlkit import lit, lst
from jornada_gen.bulk.world import basket
from jornada_gen.sources import shopify

EXPORT_DELAY = 300  # orders are exported within five minutes of their creation
GRINDS = lst(shopify.CAFE_GRINDS)
BAD_TIME = "'2026-09-31T10:15:00-03:00'"  # 31 September does not exist


def _bool(expression: str) -> str:
    return f"case when {expression} then 'true' else 'false' end"


def _referrer(source: str) -> str:
    whens = " ".join(f"when {lit(s)} then {lit(url)}" for s, url in sorted(shopify.REFERRERS.items()))
    return f"case {source} {whens} end"


def _session_landing(alias: str) -> str:
    """The landing path of a session (its first page, as in GA4) with its utm tags."""
    return (
        f"{ref.PAGES}[1 + rint({alias}.sk, 130, 8)] || case when {alias}.campaign is not null then "
        f"'?utm_source=' || {alias}.source || '&utm_medium=' || {alias}.medium || '&utm_campaign=' || "
        f"{alias}.campaign else '' end"
    )


def _fresh_id(base: int) -> str:
    return f"({base} + __k)::VARCHAR"


def _orders_source(window: Window) -> str:
    """Orders with their timeline (fulfilment, closing, last update) and where they came from."""
    return f"""
        select
            *,
            greatest(created_at, coalesce(cancelled_at, created_at), coalesce(closed_at, created_at),
                coalesce(refunded_at, created_at)) + 1 + rint(ok, 208, 119) as updated_at
        from (
            select
                *,
                coalesce(cancelled_at, case when fulfillment_status = 'fulfilled' then fulfilled_at end) as closed_at
            from (
                select
                    o.*,
                    kind = 'historical' and shipping_cents = 0 and u(ok, 205) < 0.5 as pos,
                    case when kind = 'historical' and shipping_cents = 0 and u(ok, 205) < 0.5 then created_at
                        else created_at + 3600 * (18 + rint(ok, 206, 78)) end as fulfilled_at,
                    case when cancelled_at is null and financial_status <> 'pending' then
                        case when n_lines > 1 and u(ok, 207) < 0.04 then 'partial' else 'fulfilled' end
                    end as fulfillment_status
                from orders as o
                where {window.where("o.created_at", EXPORT_DELAY)}
            )
        )
    """


def _orders() -> BulkTable:
    def query(window: Window) -> str:
        email = "case when o.pos and u(o.ok, 200) < 0.4 then NULL else email_as(p.email, p.variants, o.ok, 201) end"
        recovery = (
            f"'/{shopify.SHOP_ID}/checkouts/' || c.token || '/recover?utm_source=' || r.channel || '&utm_medium=' || "
            "case when r.channel = 'email' then 'email' else 'messaging' end || '&utm_campaign=' || rc.campaign_id"
        )
        return f"""
            select
                (5100000000 + o.order_number * 17)::VARCHAR as id,
                '#' || o.order_number::VARCHAR as name,
                o.order_number::VARCHAR as order_number,
                {email} as email,
                {email} as contact_email,
                case when u(o.ok, 203) < 0.45 then phone_as(p.area, p.num8, p.variants, p.company, 'e164', o.ok, 204)
                    end as phone,
                shop_ts(o.created_at) as created_at,
                shop_ts(o.updated_at) as updated_at,
                shop_ts(o.created_at) as processed_at,
                shop_ts(o.cancelled_at) as cancelled_at,
                o.cancel_reason,
                shop_ts(o.closed_at) as closed_at,
                o.financial_status,
                o.fulfillment_status,
                'BRL' as currency,
                'BRL' as presentment_currency,
                money(o.subtotal_cents) as total_line_items_price,
                money(o.subtotal_cents - o.discount_cents) as subtotal_price,
                money(o.discount_cents) as total_discounts,
                money(o.shipping_cents) as total_shipping_price_set__shop_money__amount,
                'BRL' as total_shipping_price_set__shop_money__currency_code,
                '0.00' as total_tax,
                'true' as taxes_included,
                money(o.total_cents) as total_price,
                {_bool("p.email_optin")} as buyer_accepts_marketing,
                p.store_id as customer__id,
                p.first_name as customer__first_name,
                p.last_name as customer__last_name,
                p.city as billing_address__city,
                p.state as billing_address__province_code,
                'BR' as billing_address__country_code,
                case when o.pos then 'pos' else 'web' end as source_name,
                case
                    when o.kind = 'recovery' then {recovery}
                    when o.pos then NULL
                    when s.sk is null then pick(['/', '/cafes', '/kits'], o.ok, 209)
                    else {_session_landing("s")} end as landing_site,
                case when s.sk is not null then {_referrer("s.source")} end as referring_site,
                case when c.checkout_no is not null then (26000000000 + c.checkout_no)::VARCHAR end as checkout_id,
                c.token as checkout_token,
                c.cart_token,
                case when o.pos then 'loja-fisica' end as tags,
                'false' as test,
                o.created_at + 60 + rint(o.ok, 230, 180) as __at,
                o.order_number as __k,
                o.order_number as __lk
            from ({_orders_source(window)}) as o
            join persons as p on p.key = o.person
            left join sessions as s on s.sk = o.session_sk
            left join checkouts as c on c.checkout_no = o.checkout_no
            left join (select mk, channel, n from messages where checkout_no is not null) as r on r.mk = o.recovery_mk
            left join campaigns as rc on rc.n = r.n
        """

    fresh = _fresh_id(99_000_000_000)
    return BulkTable(
        "shopify",
        "orders",
        tuple(shopify.ORDER_COLUMNS),
        query,
        key=("id",),
        redeliver=0.002,
        overlap=0.5,
        load_key="__lk",
        defects=(
            Defect("missing_id", 2, {"id": "NULL"}),
            Defect("unparseable_timestamp", 1, {"id": fresh, "created_at": BAD_TIME}),
            Defect("unparseable_timestamp", 1, {"id": fresh, "created_at": "'03/08/2026 09:15'"}),
            Defect("unknown_status", 2, {"id": fresh, "financial_status": "'paidd'"}),
            Defect("negative_amount", 1, {"id": fresh, "total_price": "'-129.90'"}),
            Defect("negative_amount", 1, {"id": fresh, "total_price": "'-64.80'"}),
        ),
    )


def _line_items() -> BulkTable:
    b = basket("o.bk")
    product = f"case line when 0 then {b['main0']} when 1 then {b['main1']} else {b['extra']} end"

    def query(window: Window) -> str:
        return f"""
            select
                (13400000000 + (o.order_number * 4 + line) * 7)::VARCHAR as id,
                (5100000000 + o.order_number * 17)::VARCHAR as order_id,
                (8100000000 + (product - 1) * 101)::VARCHAR as product_id,
                ((8100000000 + (product - 1) * 101) * 10 + coalesce(grind, 0))::VARCHAR as variant_id,
                {ref.SKUS}[product] as sku,
                {ref.TITLES}[product] as title,
                {GRINDS}[grind + 1] as variant_title,
                'Jornada Café' as vendor,
                (case line when 0 then {b["q0"]} when 1 then {b["q1"]} else 1 end)::VARCHAR as quantity,
                money({ref.PRICE_CENTS}[product]) as price,
                'BRL' as price_set__shop_money__currency_code,
                '0.00' as total_discount,
                case when line = 2 then '[{{"name": "_offer", "value": "'
                    || case when u(o.order_number * 4 + line, 211) < 0.3 then 'upsell' else 'cross_sell' end || '"}}]'
                    else '[]' end as properties,
                o.created_at + 60 + rint(o.ok, 230, 180) as __at,
                o.order_number * 4 + line as __k,
                o.order_number as __lk
            from (
                select
                    o.*,
                    l.line,
                    {product} as product,
                    case when list_contains({ref.GROUND}, {product}) then rint(o.order_number * 4 + l.line, 210, 3) end
                        as grind
                from ({_orders_source(window)}) as o, range(0, 3) as l(line)
                where l.line = 0 or (l.line = 1 and {b["two"]}) or (l.line = 2 and {b["has_extra"]})
            ) as o
        """

    fresh = _fresh_id(99_000_000_000)
    return BulkTable(
        "shopify",
        "order_line_items",
        tuple(shopify.LINE_ITEM_COLUMNS),
        query,
        key=("id",),
        redeliver=0.002,
        overlap=0.5,
        load_key="__lk",
        defects=(
            Defect("missing_id", 2, {"id": "NULL"}),
            Defect("negative_amount", 1, {"id": fresh, "price": "'-39.90'"}),
            Defect("negative_amount", 1, {"id": fresh, "price": "'-24.90'"}),
            Defect("invalid_value", 1, {"id": fresh, "quantity": "'0'"}),
            Defect("invalid_value", 1, {"id": fresh, "quantity": "'dois'"}),
        ),
    )


def _refunds() -> BulkTable:
    notes = lst(shopify.REFUND_NOTES)

    def query(window: Window) -> str:
        return f"""
            select
                (910000000 + order_number)::VARCHAR as id,
                (5100000000 + order_number * 17)::VARCHAR as order_id,
                shop_ts(refunded_at) as created_at,
                shop_ts(refunded_at + 1 + rint(ok, 212, 29)) as processed_at,
                pick({notes}, ok, 213) as note,
                {_bool("u(ok, 214) < 0.4")} as restock,
                (6200000000 + order_number * 3)::VARCHAR as transactions__id,
                'refund' as transactions__kind,
                'success' as transactions__status,
                case when u(ok, 215) < 0.7 then 'pagarme' else 'manual' end as transactions__gateway,
                money(refund_cents) as transactions__amount,
                'BRL' as transactions__currency,
                refunded_at + 1 + rint(ok, 212, 29) as __at,
                order_number as __k
            from orders
            where refunded_at is not null and {window.where("refunded_at", 60)}
        """

    fresh = _fresh_id(99_000_000_000)
    return BulkTable(
        "shopify",
        "refunds",
        tuple(shopify.REFUND_COLUMNS),
        query,
        key=("id",),
        redeliver=0.01,
        overlap=0.5,
        defects=(
            Defect("missing_id", 1, {"id": "NULL"}),
            Defect("unparseable_timestamp", 1, {"id": fresh, "created_at": BAD_TIME}),
            Defect("negative_amount", 1, {"id": fresh, "transactions__amount": "'-39.90'"}),
            Defect("negative_amount", 1, {"id": fresh, "transactions__amount": "'-99.90'"}),
        ),
        overlap_window=86_400,
    )


def _checkouts() -> BulkTable:
    b = basket("c.sk")

    def query(window: Window) -> str:
        return f"""
            select
                (26000000000 + c.checkout_no)::VARCHAR as id,
                c.token,
                c.cart_token,
                email_as(p.email, p.variants, c.checkout_no, 216) as email,
                case when u(c.checkout_no, 217) < 0.5
                    then phone_as(p.area, p.num8, p.variants, p.company, 'e164', c.checkout_no, 218) end as phone,
                shop_ts(c.created_at) as created_at,
                shop_ts(c.updated_at) as updated_at,
                shop_ts(coalesce(c.direct_completed_at, c.recovered_at)) as completed_at,
                {lit(shopify.SHOP_URL + "/" + shopify.SHOP_ID)} || '/checkouts/' || c.token || '/recover?key='
                    || hexh(c.sk, 219, 15) || hexh(c.sk, 220, 15) || '00' as abandoned_checkout_url,
                'BRL' as currency,
                'BRL' as presentment_currency,
                money({b["subtotal"]}) as total_line_items_price,
                money({b["subtotal"]}) as subtotal_price,
                '0.00' as total_discounts,
                '0.00' as total_tax,
                money({b["subtotal"]}) as total_price,
                p.store_id as customer__id,
                'pt-BR' as customer_locale,
                {_bool("p.email_optin")} as buyer_accepts_marketing,
                'web' as source_name,
                {_session_landing("s")} as landing_site,
                {_referrer("s.source")} as referring_site,
                c.updated_at as __at,
                c.checkout_no as __k
            from (
                select
                    *,
                    greatest(created_at, coalesce(direct_completed_at, created_at), coalesce(recovered_at, created_at),
                        coalesce(recovery_sent_at, created_at)) + 1 + rint(sk, 221, 59) as updated_at
                from checkouts
                where {window.where("created_at", 4 * 86_400)}
            ) as c
            join persons as p on p.key = c.person
            join sessions as s on s.sk = c.sk
        """

    fresh = _fresh_id(99_000_000_000)
    return BulkTable(
        "shopify",
        "abandoned_checkouts",
        tuple(shopify.CHECKOUT_COLUMNS),
        query,
        key=("id",),
        redeliver=0.005,
        overlap=0.5,
        defects=(
            Defect("missing_id", 2, {"id": "NULL"}),
            Defect("unparseable_timestamp", 1, {"id": fresh, "created_at": BAD_TIME}),
            Defect("unparseable_timestamp", 1, {"id": fresh, "created_at": "'ontem 14h'"}),
            Defect("negative_amount", 1, {"id": fresh, "total_price": "'-149.00'"}),
            Defect("negative_amount", 1, {"id": fresh, "total_price": "'-79.90'"}),
        ),
    )


def _customers() -> BulkTable:
    def query(window: Window) -> str:
        return f"""
            select
                p.store_id as id,
                email_as(p.email, p.variants, p.key, 222) as email,
                case when u(p.key, 223) < 0.7 then phone_as(p.area, p.num8, p.variants, p.company, 'e164', p.key, 224)
                    end as phone,
                p.first_name,
                p.last_name,
                shop_ts(created) as created_at,
                shop_ts(updated) as updated_at,
                coalesce(h.orders_count, 0)::VARCHAR as orders_count,
                money(coalesce(h.spent_cents, 0)) as total_spent,
                case when h.last_order_number is not null then (5100000000 + h.last_order_number * 17)::VARCHAR end
                    as last_order_id,
                customer_state as state,
                {_bool("customer_state = 'enabled' or u(p.key, 225) < 0.6")} as verified_email,
                {_bool("consent = 'subscribed'")} as accepts_marketing,
                consent as email_marketing_consent__state,
                case when consent <> 'not_subscribed' then 'single_opt_in' end
                    as email_marketing_consent__opt_in_level,
                shop_ts(consent_at) as email_marketing_consent__consent_updated_at,
                nullif(concat_ws(', ', case when p.subscriber then 'assinante' end,
                    case when coalesce(h.spent_cents, 0) >= 50000 then 'vip' end), '') as tags,
                'BRL' as currency,
                p.city as default_address__city,
                p.state as default_address__province_code,
                'BR' as default_address__country_code,
                updated as __at,
                p.key as __k
            from (
                select
                    *,
                    greatest(created, coalesce(last_order_at, created), coalesce(consent_at, created))
                        + rint(key, 226, 600) as updated
                from (
                    select
                        p.*,
                        p.created_at + 60 as created,
                        pick(['enabled', 'enabled', 'enabled', 'enabled', 'enabled', 'disabled', 'disabled', 'disabled',
                            'disabled', 'invited'], p.key, 227) as customer_state,
                        case when p.email_optin then 'subscribed'
                            when p.churned_at is not null or u(p.key, 228) < 0.3 then 'unsubscribed'
                            else 'not_subscribed' end as consent,
                        case when p.email_optin then p.created_at + 60
                            when p.churned_at is not null or u(p.key, 228) < 0.3
                                then p.created_at + 60 + 86400 * (1 + rint(p.key, 229, 59)) end as consent_at
                    from persons as p
                    where p.store_customer and {window.where("p.created_at", 4000 * 86_400)}
                ) as p
                left join (
                    select person, max(created_at) as last_order_at from orders where kind = 'historical' group by all
                ) as l on l.person = p.key
            ) as p
            left join (
                select
                    person,
                    count(*) as orders_count,
                    sum(case when cancelled_at is null then total_cents - coalesce(refund_cents, 0) else 0 end)
                        as spent_cents,
                    arg_max(order_number, created_at) as last_order_number
                from orders
                where kind = 'historical'
                group by all
            ) as h on h.person = p.key
        """

    fresh = _fresh_id(99_000_000_000)
    return BulkTable(
        "shopify",
        "customers",
        tuple(shopify.CUSTOMER_COLUMNS),
        query,
        key=("id",),
        redeliver=0.002,
        overlap=0.5,
        defects=(
            Defect("missing_id", 2, {"id": "NULL"}),
            Defect("unparseable_timestamp", 1, {"id": fresh, "created_at": BAD_TIME}),
            Defect("unparseable_timestamp", 1, {"id": fresh, "created_at": "'2026-08-03 25:61:00'"}),
            Defect("unknown_status", 2, {"id": fresh, "state": "'activated'"}),
        ),
    )


def tables(plan: WorldPlan) -> list[BulkTable]:
    return [_orders(), _line_items(), _refunds(), _checkouts(), _customers()]
