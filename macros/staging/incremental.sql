{#
    Incremental event-grain models (README "Incremental models").

    On DuckDB the event-grain staging models and the messaging intermediates
    are incremental: a run reads only the rows loaded since the latest load
    already in the table, minus var `incremental_lookback_hours` (files that
    land late, loaders whose clocks lag). `dbt build --full-refresh` rebuilds
    them from every raw row. Other adapters (Spark's plain Parquet tables)
    build them as tables, every run a full recompute.
#}

{% macro incremental_materialization() -%}
    {{ return('incremental' if target.type == 'duckdb' else 'table') }}
{%- endmacro %}


{#
    The earliest `loaded_at` an incremental run re-reads: the latest load in
    `relation` (default: the model's own table) minus the lookback. With
    `partition_by`, renders a select of one re-read start per partition
    (e.g. per channel) instead of a scalar subquery.
#}
{% macro incremental_reread_from(column='loaded_at', relation=none, partition_by=none) -%}
    {%- set relation = relation if relation is not none else this -%}
    {%- set lookback = -1 * (var('incremental_lookback_hours') | int) -%}
    {%- if partition_by -%}
        select
            {{ partition_by }},
            {{ dbt.dateadd('hour', lookback, 'max(' ~ column ~ ')') }} as reread_from
        from {{ relation }}
        group by {{ partition_by }}
    {%- else -%}
        (select {{ dbt.dateadd('hour', lookback, 'max(' ~ column ~ ')') }} from {{ relation }})
    {%- endif -%}
{%- endmacro %}


{#
    The filter of an incremental run on the rows it reads: loaded at or after
    the re-read start (everything when the table is still empty). Renders
    `true` in a full build.
#}
{% macro incremental_loaded_since(column='loaded_at') -%}
    {%- if is_incremental() -%}
        {{ column }} > coalesce({{ jornada.incremental_reread_from() }}, cast('1900-01-01' as timestamp))
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}


{#
    The rows of `batch` (a deduplicated staging CTE) an incremental run
    writes: rows whose natural key `key` is new, and rows that win the
    deduplication over the row already staged for their key (an earlier load,
    then an earlier file name: jornada.deduplicate's default order), which
    the model's delete+insert on `key` then replaces. A row already staged
    is never replaced by a later copy, so the table holds exactly what a full
    rebuild keeps. A full build keeps every row of `batch`.
#}
{% macro incremental_new_rows(batch, key) -%}
    {%- if is_incremental() -%}
        select {{ batch }}.*
        from {{ batch }}
        left join {{ this }} as staged
            on
                {{ batch }}.{{ key }} = staged.{{ key }}
                and (
                    staged.loaded_at < {{ batch }}.loaded_at
                    or (
                        staged.loaded_at = {{ batch }}.loaded_at
                        and staged.source_file_name <= {{ batch }}.source_file_name
                    )
                )
        where staged.{{ key }} is null
    {%- else -%}
        select * from {{ batch }}
    {%- endif -%}
{%- endmacro %}


{#
    The run's own timestamp (UTC), stamped on the rows an incremental
    intermediate model (re)computes, so the models built on it know which
    rows changed since their own last run.
#}
{% macro incremental_run_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp)
{%- endmacro %}
