{# The attribution models Jornada computes, in the order marts show them. #}
{% macro attribution_models() %}
    {{ return(['first_touch', 'last_touch', 'last_non_direct', 'linear', 'time_decay', 'position_based']) }}
{% endmacro %}

{#
    The share of one conversion's credit a touch gets under a model, over the
    columns of int_attribution_touches_credited's `weighted` step:
    touch_position (1 = earliest), path_touches, has_non_direct_touch,
    is_direct, recency_rank_within_directness (1 = latest of its kind),
    decay_weight and decay_weight_total.
#}
{% macro attribution_credit(attribution_model) %}
    {%- set credits = {
        'first_touch': "case when touch_position = 1 then 1.0 else 0.0 end",
        'last_touch': "case when touch_position = path_touches then 1.0 else 0.0 end",
        'last_non_direct': "case
                when has_non_direct_touch = 0
                    then case when touch_position = path_touches then 1.0 else 0.0 end
                when not is_direct and recency_rank_within_directness = 1 then 1.0
                else 0.0
            end",
        'linear': "1.0 / path_touches",
        'time_decay': "decay_weight / decay_weight_total",
        'position_based': "case
                when path_touches = 1 then 1.0
                when path_touches = 2 then 0.5
                when touch_position = 1 or touch_position = path_touches then 0.4
                else 0.2 / (path_touches - 2)
            end",
    } -%}
    {%- if attribution_model not in credits -%}
        {{ exceptions.raise_compiler_error(
            "Unknown attribution model '" ~ attribution_model ~ "'; expected one of " ~ credits.keys() | join(', ')
        ) }}
    {%- endif -%}
    cast({{ credits[attribution_model] }} as {{ jornada.type_double() }})
{% endmacro %}
