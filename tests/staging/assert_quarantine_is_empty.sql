{{ config(severity='warn') }}

-- Warns (does not fail) while any raw row sits in quarantine: someone should
-- look at why an export sent rows that cannot be parsed. The demo data
-- plants malformed rows on purpose, so the demo build shows this warning.
select
    source_name,
    table_name,
    quarantine_reason,
    count(*) as quarantined_rows
from {{ ref('stg_quarantine__rows') }}
group by source_name, table_name, quarantine_reason
