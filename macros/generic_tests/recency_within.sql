{#
    Fails (warns) when this model's latest event lags the data's own "now"
    by more than `max_lag_hours`: a source whose export stopped while the
    others kept arriving. Unlike a recency check against the wall clock it
    does not start failing as calendar time passes over static data (the
    demo), and unlike `dbt source freshness` it looks at event times.

    The data's "now" is var('recency_as_of_at') when set ('YYYY-MM-DD
    HH:MM:SS', UTC), else the latest value of every column this test is
    attached to across the project (each enabled model or source table
    carrying a recency_within test with `sets_reference` true, this one
    included),
    found in dbt's graph at run time; models not built yet are skipped.

    Arguments (attach the test to the timestamp or date column)
      max_lag_hours   allowed lag; default var('recency_max_lag_hours') (48).
      sets_reference  whether this column's latest value can set the data's
                      "now" (default true). Set false for columns that are not
                      event times comparable across sources: load times,
                      schedules published ahead, trailing events such as
                      refunds dated weeks after their orders.
      as_of           explicit reference instant for this test only;
                      overrides the var.

    An empty model (no latest event) fails. One failing row: the model's
    latest event, the reference instant, the lag in hours and the limit.
    Cross-database: dbt.dateadd / dbt.datediff / dbt.type_timestamp.
#}
{% test recency_within(model, column_name, max_lag_hours=none, sets_reference=true, as_of=none) %}

{{ config(severity='warn') }}

{%- set max_lag_hours = max_lag_hours if max_lag_hours is not none else var('recency_max_lag_hours', 48) -%}
{%- set as_of = as_of if as_of is not none else var('recency_as_of_at', '') -%}
{%- set reference_columns = jornada.recency_reference_columns() if (execute and not as_of) else [] -%}

with

model_latest as (

    select cast(max({{ column_name }}) as {{ dbt.type_timestamp() }}) as latest_at
    from {{ model }}

),

reference_candidates as (

    {% if as_of -%}
        select cast({{ jornada.dq_string_literal(as_of) }} as {{ dbt.type_timestamp() }}) as latest_at
    {%- else -%}
        select latest_at from model_latest
        {% for relation, reference_column in reference_columns %}
            union all
            select cast(max({{ reference_column }}) as {{ dbt.type_timestamp() }}) as latest_at
            from {{ relation }}
        {% endfor %}
    {%- endif %}

),

reference as (

    select max(latest_at) as reference_at
    from reference_candidates

),

compared as (

    {#- Date arithmetic only on non-null values: Spark's dateadd/datediff reject nulls. #}
    select
        model_latest.latest_at,
        reference.reference_at,
        case
            when model_latest.latest_at is not null and reference.reference_at is not null
                then {{ dbt.datediff('model_latest.latest_at', 'reference.reference_at', 'hour') }}
        end as lag_hours,
        {{ max_lag_hours }} as max_lag_hours,
        case
            when model_latest.latest_at is null then true
            when reference.reference_at is null then false
            else {{ dbt.dateadd('hour', max_lag_hours, 'model_latest.latest_at') }} < reference.reference_at
        end as is_lagging
    from model_latest
    cross join reference

),

final as (

    select
        latest_at,
        reference_at,
        lag_hours,
        max_lag_hours
    from compared
    where is_lagging

)

select * from final

{% endtest %}


{#
    (relation, column) of every model or source table carrying a
    recency_within test whose `sets_reference` is true, from dbt's graph;
    only relations that exist in the warehouse (a partial build may not have
    built them yet). Call at execution time only.
#}
{% macro recency_reference_columns() -%}
    {%- set found = [] -%}
    {%- set seen = [] -%}
    {%- for node in graph.nodes.values() -%}
        {%- set metadata = node.get('test_metadata') or {} -%}
        {%- set kwargs = metadata.get('kwargs') or {} -%}
        {%- set parents = (node.get('depends_on') or {}).get('nodes') or [] -%}
        {#- attached_node is set for tests on models; a source test has only its one parent. -#}
        {%- set parent_id = node.get('attached_node') or (parents[0] if parents | length == 1 else none) -%}
        {%- set column = node.get('column_name') or kwargs.get('column_name') -%}
        {%- set parent = graph.nodes.get(parent_id) or graph.sources.get(parent_id) if parent_id else none -%}
        {%- if node.resource_type == 'test'
            and metadata.get('name') == 'recency_within'
            and kwargs.get('sets_reference', true) not in [false, 'false', 'False']
            and parent is not none
            and column
            and (parent_id ~ '.' ~ column) not in seen -%}
            {%- do seen.append(parent_id ~ '.' ~ column) -%}
            {%- set relation = adapter.get_relation(
                database=parent.database,
                schema=parent.schema,
                identifier=parent.get('identifier') or parent.get('alias') or parent.name
            ) -%}
            {%- if relation is not none -%}
                {%- do found.append((relation, column)) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}
