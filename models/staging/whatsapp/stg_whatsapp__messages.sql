{{
    config(
        materialized=jornada.incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='message_id',
        on_schema_change='fail',
    )
}}

with

base as (

    select * from {{ ref('base_whatsapp__messages') }}
    where
        quarantine_reason is null
        and {{ jornada.incremental_loaded_since() }}

),

deduplicated as (

    {{ jornada.deduplicate('base', partition_by='message_id') }}

),

final as (

    select
        message_id,
        occurred_at,
        'whatsapp' as channel,
        {{ jornada.hash_pii('sender_phone_e164_raw') }} as phone_hash,
        {{ jornada.hash_pii("nullif(lower(trim(profile_name_raw)), '')") }} as name_hash,
        message_type,
        replied_to_message_id,
        length(coalesce(text_body_raw, button_text_raw)) as body_length,
        coalesce(
            upper(trim(coalesce(text_body_raw, button_text_raw))) in (
                'STOP', 'SAIR', 'PARAR', 'CANCELAR', 'DESCADASTRAR'
            ),
            false
        ) as is_opt_out_keyword,
        business_phone_number_id,
        source_file_name,
        loaded_at
    from deduplicated

),

new_rows as (

    {{ jornada.incremental_new_rows('final', 'message_id') }}

)

select * from new_rows
