-- Every KPI value stays within the bounds of its unit: ratios (shares) in
-- [0, 1], NPS in [-100, 100], relative changes from -1 up, rates, multiples,
-- counts and durations from 0 up. Units come from kpi_catalog; the
-- great-expectations suite checks the same bounds.

with

kpis as (

    select * from {{ ref('kpi_daily') }}

),

catalog as (

    select * from {{ ref('kpi_catalog') }}

),

bounded as (

    select
        kpis.kpi_daily_id,
        kpis.kpi_name,
        catalog.unit,
        kpis.value,
        case
            when catalog.unit = 'ratio' then 0.0
            when catalog.unit = 'nps_points' then -100.0
            when catalog.unit = 'change_ratio' then -1.0
            when catalog.unit in (
                'rate', 'multiple', 'count', 'minutes', 'seconds', 'hours', 'per_person', 'score'
            ) then 0.0
        end as lower_bound,
        case
            when catalog.unit = 'ratio' then 1.0
            when catalog.unit = 'nps_points' then 100.0
        end as upper_bound
    from kpis
    inner join catalog
        on kpis.kpi_name = catalog.kpi_name
    where kpis.value is not null

),

final as (

    select *
    from bounded
    where
        value < lower_bound - 1e-9
        or value > upper_bound + 1e-9

)

select * from final
