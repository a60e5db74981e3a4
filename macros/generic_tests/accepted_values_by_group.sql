{#
    accepted_values with a list per group: fails on each value of
    `column_name` that is not accepted for its row's group, where the group
    is the SQL expression `group_by` and `values_by_group` maps each group to
    its accepted values. A group absent from the map accepts nothing, so a
    new group must be declared before its values pass. Nulls pass (test them
    with not_null). One failing row per group and value, with the rows found.

    Used on stg_quarantine__rows: each raw table's own quarantine reasons,
    checked in one query over the quarantined rows instead of one
    accepted_values test per base view, each of which re-read and re-parsed
    that table's raw export files.
#}
{% test accepted_values_by_group(model, column_name, group_by, values_by_group) %}

{%- set pairs = [] -%}
{%- for group, values in values_by_group.items() -%}
    {%- for value in values -%}
        {%- do pairs.append((group, value)) -%}
    {%- endfor -%}
{%- endfor -%}
{%- if not pairs -%}
    {{ exceptions.raise_compiler_error(
        "accepted_values_by_group on " ~ model ~ "." ~ column_name ~ ": values_by_group accepts no value"
    ) }}
{%- endif %}

with

accepted as (

    {% for group, value in pairs -%}
        select
            '{{ group }}' as accepted_group,
            '{{ value }}' as accepted_value
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

found as (

    select
        {{ group_by }} as value_group,
        {{ column_name }} as value_found,
        count(*) as rows_found
    from {{ model }}
    where {{ column_name }} is not null
    group by {{ group_by }}, {{ column_name }}

),

final as (

    select found.*
    from found
    left join accepted
        on
            found.value_group = accepted.accepted_group
            and found.value_found = accepted.accepted_value
    where accepted.accepted_value is null

)

select * from final

{% endtest %}
