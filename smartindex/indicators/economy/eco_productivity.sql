-- ECO_PRODUCTIVITY: see catalogue.toml for its definition, unit and standard.
select * from stat_ratio('grdp_constant_idr_bn', 'employed_persons', 1000)
