{#
    Product and store reviews (store site and Google) with the reviewer's
    person where the platform shares an email (store site; Google does
    not), and whether the review counts in review_rating: published
    reviews only while var `loyalty_review_rating_published_only` is true
    (the rating as the platforms show it), every review otherwise.
#}

with

reviews as (

    select * from {{ ref('stg_reviews__reviews') }}

),

identity_nodes as (

    select * from {{ ref('int_identity_nodes_resolved') }}

),

final as (

    select
        reviews.review_id,
        reviews.platform,
        reviews.channel,
        email_nodes.person_id,
        reviews.is_product_review,
        reviews.product_sku,
        reviews.order_id,
        cast(reviews.rating as {{ dbt.type_bigint() }}) as rating,
        reviews.is_published,
        reviews.is_verified_buyer,
        {% if var('loyalty_review_rating_published_only') -%}
            reviews.is_published
        {%- else -%}
            true
        {%- endif %} as is_counted_in_rating,
        reviews.has_title,
        cast(reviews.body_length as {{ dbt.type_bigint() }}) as body_length,
        reviews.created_at,
        {{ jornada.to_business_date('reviews.created_at') }} as review_date
    from reviews
    left join identity_nodes as email_nodes
        on email_nodes.node_key = {{ jornada.identity_node_key('email', 'reviews.email_hash') }}

)

select * from final
