{#
    Compares an aggregate of this model with an aggregate of another model,
    group by group, and fails the groups whose relative difference exceeds
    a tolerance: two systems (or two layers) that should count the same
    thing and do not. Warns by default: a divergence is a finding to look
    at, not a broken invariant.

    Arguments
      compare_model       the other side, e.g. ref('stg_sendgrid__events'); the
                          reference the difference is relative to.
      expression          aggregate over this model; default sum(<column>) when
                          the test is attached to a column, else count(*).
      compare_expression  aggregate over compare_model, e.g.
                          "count(distinct sg_message_id)"; default
                          sum(compare_column) when compare_column is set, else
                          count(*).
      compare_column      shorthand for compare_expression = sum(compare_column).
      group_by            list of key columns or expressions on this model
                          (empty: one comparison of the totals).
      compare_group_by    the same keys on compare_model, in the same order;
                          default group_by. Keys are matched null-safely.
      compare_where       filter on compare_model (this model's rows are
                          filtered with the test's own `where` config).
      tolerance           relative tolerance, |this - other| / |other|; default
                          var('divergence_tolerance') (0.02).
      min_absolute_difference
                          a group whose absolute difference is at most this
                          passes whatever its relative difference (small
                          groups: 1 vs 2 is 100%); default 0.

    A group present on one side only compares with 0 on the other. When the
    other side is 0 and this side is not, the relative difference is
    undefined (null) and the group fails unless within
    min_absolute_difference. One failing row per group: the keys, both
    values, the absolute and relative differences and the tolerance.

    Cross-database: union all + group by (no full outer join on nullable
    keys), plain aggregates and casts.
#}
{% test divergence_between(
    model, compare_model, expression=none, compare_expression=none, compare_column=none,
    group_by=none, compare_group_by=none, compare_where=none, tolerance=none,
    min_absolute_difference=0, column_name=none
) %}

{{ config(severity='warn') }}

{%- set expression = expression or ('sum(' ~ column_name ~ ')' if column_name else 'count(*)') -%}
{%- set compare_expression = compare_expression or ('sum(' ~ compare_column ~ ')' if compare_column else 'count(*)') -%}
{%- set keys = jornada.dq_as_list(group_by) -%}
{%- set compare_keys = jornada.dq_as_list(compare_group_by) if compare_group_by is not none else keys -%}
{%- if keys | length != compare_keys | length -%}
    {{ exceptions.raise_compiler_error(
        "divergence_between: group_by and compare_group_by need the same number of keys, got "
        ~ keys ~ " and " ~ compare_keys
    ) }}
{%- endif -%}
{%- set key_aliases = [] -%}
{%- for key in keys -%}
    {%- do key_aliases.append(jornada.dq_column_alias(key, 'group_key_' ~ loop.index)) -%}
{%- endfor -%}
{%- set tolerance = tolerance if tolerance is not none else var('divergence_tolerance', 0.02) -%}

with

model_side as (

    select
        {% for key in keys -%}
            {{ key }} as {{ key_aliases[loop.index0] }},
        {% endfor -%}
        'model' as side,
        cast({{ expression }} as {{ jornada.type_double() }}) as measured_value
    from {{ model }}
    {% if keys -%}
        group by {{ keys | join(', ') }}
    {%- endif %}

),

compare_side as (

    select
        {% for key in compare_keys -%}
            {{ key }} as {{ key_aliases[loop.index0] }},
        {% endfor -%}
        'compare' as side,
        cast({{ compare_expression }} as {{ jornada.type_double() }}) as measured_value
    from {{ compare_model }}
    {% if compare_where -%}
        where {{ compare_where }}
    {%- endif %}
    {% if compare_keys -%}
        group by {{ compare_keys | join(', ') }}
    {%- endif %}

),

both_sides as (

    select * from model_side
    union all
    select * from compare_side

),

compared as (

    select
        {% for alias in key_aliases -%}
            {{ alias }},
        {% endfor -%}
        coalesce(sum(case when side = 'model' then measured_value end), 0) as model_value,
        coalesce(sum(case when side = 'compare' then measured_value end), 0) as compare_value
    from both_sides
    {% if key_aliases -%}
        group by {{ key_aliases | join(', ') }}
    {%- endif %}

),

measured as (

    select
        *,
        abs(model_value - compare_value) as absolute_difference,
        case
            when model_value = compare_value then 0
            when compare_value = 0 then null
            else abs(model_value - compare_value) / abs(compare_value)
        end as relative_difference
    from compared

),

final as (

    select
        *,
        cast({{ tolerance }} as {{ jornada.type_double() }}) as tolerance
    from measured
    where
        absolute_difference > {{ min_absolute_difference }}
        and (relative_difference is null or relative_difference > {{ tolerance }})

)

select * from final

{% endtest %}
