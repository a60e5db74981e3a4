{#
    Seed loading on Spark (overrides dbt-spark's `spark__load_csv_rows`;
    DuckDB keeps dbt-duckdb's own COPY).

    dbt-spark inserts seed rows as `insert ... values` statements with the
    values pasted in as '<text>' without escaping: a value holding a quote
    (WhatsApp error details: "the recipient's phone") breaks the statement,
    and 10,000-row VALUES lists take minutes each to analyse. On a local
    SparkSession (method session) the seed file is on the driver's disk, so
    Spark's own CSV reader loads it, the way dbt-duckdb loads seeds with
    COPY: every field read as text (the header only names the columns), an empty field (quoted or
    not) is null, then each column is cast to its seed type. This needs the
    seed file on the Spark driver's disk: a session (host `NA`, as the
    profile sets it; the target context carries no `method`) or a Thrift
    server on this machine. A remote cluster keeps dbt-spark's loader.
#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- if (target.host or '') | lower not in ('na', 'localhost', '127.0.0.1') -%}
        {{ return(dbt.spark__load_csv_rows(model, agate_table)) }}
    {%- endif -%}

    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set delimiter = model['config'].get('delimiter', ',') or ',' -%}
    {%- set seed_path = model['root_path'] ~ '/' ~ model['original_file_path'] -%}
    {%- set view_name = 'jornada_seed_file__' ~ this.identifier -%}

    {%- set create_view -%}
        create or replace temporary view {{ view_name }} (
            {%- for col_name in agate_table.column_names %}
            {{ adapter.quote(col_name) }} string{{ ',' if not loop.last }}
            {%- endfor %}
        )
        using csv
        options (
            path '{{ seed_path | replace("\\", "\\\\") | replace("'", "\\'") }}',
            header 'true',
            enforceSchema 'true',
            sep '{{ delimiter }}',
            quote '"',
            escape '"',
            multiLine 'true',
            encoding 'UTF-8',
            mode 'FAILFAST'
        )
    {%- endset -%}

    {%- set insert_rows -%}
        insert into {{ this.render() }}
        select
            {%- for col_name in agate_table.column_names %}
            {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) %}
            cast(nullif({{ adapter.quote(col_name) }}, '') as {{ column_override.get(col_name, inferred_type) }})
            {{- ',' if not loop.last }}
            {%- endfor %}
        from {{ view_name }}
    {%- endset -%}

    {%- do adapter.add_query(create_view, auto_begin=false) -%}
    {%- do adapter.add_query(insert_rows, auto_begin=false, abridge_sql_log=true) -%}
    {%- do adapter.add_query('drop view if exists ' ~ view_name, auto_begin=false) -%}

    {{ return(insert_rows) }}
{% endmacro %}
