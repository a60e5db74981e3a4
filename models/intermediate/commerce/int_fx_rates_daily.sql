{#
    Daily FX calendar: every calendar day x currency, the last published
    rate carried forward over weekends and holidays for at most
    `fx_forward_fill_max_days` days (an older rate is stale: the day gets no
    row and conversions to it fail their not_null tests). The reporting
    currency's own rows are 1. Rates to the reporting currency go through
    BRL, the seed's base: rate_to_reporting = rate_to_brl / reporting
    currency's rate_to_brl on that day.
#}

with

seed_rates as (

    select * from {{ ref('fx_rates_daily') }}

),

day_offsets as (

    select generated_number - 1 as day_offset
    from ({{ dbt.generate_series(var('fx_forward_fill_max_days') + 1) }}) as series

),

published as (

    select
        rate_date,
        rate_to_brl,
        upper(currency) as currency,
        lead(rate_date) over (
            partition by upper(currency)
            order by rate_date
        ) as next_rate_date
    from seed_rates
    where upper(currency) <> 'BRL'

),

filled as (

    select
        published.currency,
        published.rate_to_brl,
        published.rate_date as source_rate_date,
        cast({{ dbt.dateadd('day', 'day_offsets.day_offset', 'published.rate_date') }} as date) as rate_date
    from published
    inner join day_offsets
        on
            published.next_rate_date is null
            or day_offsets.day_offset < {{ dbt.datediff('published.rate_date', 'published.next_rate_date', 'day') }}

),

brl as (

    select distinct
        'BRL' as currency,
        cast(1 as decimal(18, 6)) as rate_to_brl,
        rate_date as source_rate_date,
        rate_date
    from filled

),

all_currencies as (

    select
        currency,
        rate_to_brl,
        source_rate_date,
        rate_date
    from filled
    union all
    select
        currency,
        rate_to_brl,
        source_rate_date,
        rate_date
    from brl

),

reporting as (

    select
        rate_date,
        rate_to_brl as reporting_rate_to_brl
    from all_currencies
    where currency = '{{ var("reporting_currency") }}'

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "cast(all_currencies.rate_date as " ~ dbt.type_string() ~ ")", "'|'", "all_currencies.currency"
        ])) }} as fx_rate_id,
        all_currencies.rate_date,
        all_currencies.currency,
        '{{ var("reporting_currency") }}' as reporting_currency,
        all_currencies.rate_to_brl,
        cast(all_currencies.rate_to_brl / reporting.reporting_rate_to_brl as decimal(18, 6)) as rate_to_reporting,
        all_currencies.source_rate_date,
        all_currencies.rate_date <> all_currencies.source_rate_date as is_forward_filled
    from all_currencies
    inner join reporting
        on all_currencies.rate_date = reporting.rate_date

)

select * from final
