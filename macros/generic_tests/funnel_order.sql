{#
    Fails where a later step of a funnel exceeds an earlier one: more
    delivered than sent, more opened than delivered. A broken funnel is a
    broken invariant (a lifecycle rule or a join that multiplies rows), so
    this test keeps dbt's default severity, error.

    Arguments
      steps     the funnel in order, at least two steps. Each step is a SQL
                expression over one row, or a one-key mapping
                {name: expression} to name it, e.g.
                  - sent: "case when is_sent then 1 else 0 end"
                  - delivered: "case when is_delivered then 1 else 0 end"
                A step given as a plain column is named after the column.
      group_by  list of key columns or expressions: each step is summed per
                group and the sums are compared. Group by the primary key to
                check row by row; leave empty to check the model's totals.

    Only consecutive steps are compared (each step against the one before
    it), so a branch such as clicked <= delivered next to opened <=
    delivered is a second application of the test. Null step values count
    as 0. One failing row per group and violated pair of steps: the keys,
    the earlier and later step names and their values.
#}
{% test funnel_order(model, steps, group_by=none, column_name=none) %}

{%- set named_steps = jornada.dq_named_steps(steps) -%}
{%- if named_steps | length < 2 -%}
    {{ exceptions.raise_compiler_error("funnel_order: steps needs at least two steps, got " ~ steps) }}
{%- endif -%}
{%- set keys = jornada.dq_as_list(group_by) -%}
{%- set key_aliases = [] -%}
{%- for key in keys -%}
    {%- do key_aliases.append(jornada.dq_column_alias(key, 'group_key_' ~ loop.index)) -%}
{%- endfor -%}

with

step_totals as (

    select
        {% for key in keys -%}
            {{ key }} as {{ key_aliases[loop.index0] }},
        {% endfor -%}
        {% for step in named_steps -%}
            cast(coalesce(sum({{ step.expression }}), 0) as {{ jornada.type_double() }})
                as funnel_step_{{ loop.index }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from {{ model }}
    {% if keys -%}
        group by {{ keys | join(', ') }}
    {%- endif %}

),

violations as (

    {% for position in range(1, named_steps | length) -%}
        select
            {% for alias in key_aliases -%}
                {{ alias }},
            {% endfor -%}
            {{ jornada.dq_string_literal(named_steps[position - 1].name) }} as earlier_step,
            funnel_step_{{ position }} as earlier_value,
            {{ jornada.dq_string_literal(named_steps[position].name) }} as later_step,
            funnel_step_{{ position + 1 }} as later_value
        from step_totals
        where funnel_step_{{ position + 1 }} > funnel_step_{{ position }}
        {% if not loop.last %}
            union all
        {% endif %}
    {%- endfor %}

)

select * from violations

{% endtest %}
