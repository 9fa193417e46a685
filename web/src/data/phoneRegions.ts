/**
 * The regions the API reads phone numbers in: `phonenumbers.SUPPORTED_REGIONS` (ISO 3166
 * alpha-2, plus AC, TA and XK), which tenants/crm/phones.py `is_region` checks. The server
 * stays the judge: a code missing here is still refused there, with the reason.
 * tests/web/test_admin_crm_pages.py fails when this list and the server's differ.
 */
export const PHONE_REGIONS: readonly string[] = `
AC AD AE AF AG AI AL AM AO AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
BT BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG
EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GT GU GW GY HK HN HR HT
HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR
LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF
NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD
SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TA TC TD TG TH TJ TK TL TM TN TO TR TT TV TW
TZ UA UG US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW
`
  .trim()
  .split(/\s+/);

export interface RegionOption {
  value: string;
  label: string;
}

/** The regions as select options, "Germany (DE)", named and sorted in `locale`. */
export function phoneRegionOptions(locale: string, current?: string): RegionOption[] {
  const names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
  const codes = current && !PHONE_REGIONS.includes(current) ? [...PHONE_REGIONS, current] : PHONE_REGIONS;
  const collator = new Intl.Collator(locale);
  return codes
    .map((code) => {
      const name = names.of(code) ?? code;
      return { value: code, label: name === code ? code : `${name} (${code})` };
    })
    .sort((a, b) => collator.compare(a.label, b.label));
}
