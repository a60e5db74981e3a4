{#
    The raw table of a source, for base models: `source(...)`, which reads
    the seeded demo table, or in raw_path mode the export files through
    dbt-duckdb's external location. In seed mode it also declares the seed
    as a dependency, so a plain `dbt build` loads the seed before the model
    reads it (a `source()` alone carries no dependency on a seed).
#}
{% macro raw_source(source_name, table_name) -%}
    {%- if not var('raw_path', '') -%}
        {%- do ref(source_name ~ '__' ~ table_name) -%}
    {%- endif -%}
    {{ return(source(source_name, table_name)) }}
{%- endmacro %}

{#
    The loader metadata every base model carries: the export file, when it
    was loaded (UTC), and the raw row as JSON for quarantine. Ends the
    `parsed` select list of a base model.
#}
{% macro loader_columns(relation_alias) -%}
    _file_name as source_file_name,
    {{ jornada.iso_to_timestamp('_loaded_at') }} as loaded_at,
    {{ jornada.row_to_json(relation_alias) }} as raw_row
{%- endmacro %}
