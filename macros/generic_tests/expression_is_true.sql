{#
    Fails on rows where a boolean SQL expression over the model's columns is
    not true (false or null). Optional `where` narrows the rows checked.
    Example: `expression_is_true: {arguments: {expression: "delivered <= sent"}}`.
#}
{% test expression_is_true(model, expression, column_name=none) %}

select *
from {{ model }}
where not coalesce({{ expression }}, false)

{% endtest %}
