-- GOV_IKM: see catalogue.toml for its definition, unit and standard.
with items as (
    select r.area_code, r.year, r.weight,
           unnest([r.ikm_u1, r.ikm_u2, r.ikm_u3, r.ikm_u4, r.ikm_u5, r.ikm_u6, r.ikm_u7,
                   r.ikm_u8, r.ikm_u9]) as score,
           unnest(range(1, 10)) as element
    from respondents() r
), elements as (
    select area_code, year, element,
           sum(weight * score) filter (where score is not null)
               / sum(weight) filter (where score is not null) as nrr,
           count(*) as respondents, count(score) as answers
    from items
    group by area_code, year, element
)
select area_code, year, 25 * avg(nrr) as value, null::double as numerator,
       null::double as denominator, max(respondents) as n_obs, min(answers) as n_valid
from elements
group by area_code, year
having count(nrr) = 9
