//! Packed MTF dates: 5 bytes, MSB first — year 14 bits, month 4, day 5, hour 5, minute 6, second 6
//! (the doc, "MQCI stream"; MTF 1.00a `MTF_DATE_TIME`).

use crate::util::time::days_in_month;

/// The date as ISO 8601 without a zone (`2024-05-17T13:45:30`). `Ok(None)` for the all-zero "no date";
/// `Err(())` when a field is out of range.
pub(super) fn mtf_date_text(packed: [u8; 5]) -> Result<Option<String>, ()> {
    if packed == [0; 5] {
        return Ok(None);
    }
    let [b0, b1, b2, b3, b4] = packed;
    let bits = u64::from_be_bytes([0, 0, 0, b0, b1, b2, b3, b4]);
    let field = |shift: u32, width: u32| -> u64 {
        let mask = 1u64.checked_shl(width).map_or(u64::MAX, |m| m.saturating_sub(1));
        bits.checked_shr(shift).unwrap_or(0) & mask
    };
    let (year, month, day) = (field(26, 14), field(22, 4), field(17, 5));
    let (hour, minute, second) = (field(12, 5), field(6, 6), field(0, 6));
    let valid = (1..=9999).contains(&year)
        && (1..=12).contains(&month)
        && day >= 1
        && month_days(year, month).is_some_and(|days| day <= days)
        && hour <= 23
        && minute <= 59
        && second <= 59;
    if !valid {
        return Err(());
    }
    Ok(Some(format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}")))
}

/// The length of `month` of `year` from the one calendar (`util::time`), in the decoder's units.
fn month_days(year: u64, month: u64) -> Option<u64> {
    let days = days_in_month(i64::try_from(year).ok()?, i64::try_from(month).ok()?)?;
    u64::try_from(days).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Packs the fields the way the doc describes, independently of the decoder's shifts.
    fn pack(y: u64, mo: u64, d: u64, h: u64, mi: u64, s: u64) -> [u8; 5] {
        let bits = [(y, 14), (mo, 4), (d, 5), (h, 5), (mi, 6), (s, 6)]
            .iter()
            .fold(0u64, |acc, (value, width)| acc.checked_shl(*width).unwrap_or(0) | value);
        let be = bits.to_be_bytes();
        [be[3], be[4], be[5], be[6], be[7]]
    }

    #[test]
    fn decodes_packed_dates() {
        assert_eq!(mtf_date_text(pack(2024, 5, 17, 13, 45, 30)), Ok(Some("2024-05-17T13:45:30".to_owned())));
        assert_eq!(mtf_date_text(pack(2000, 2, 29, 0, 0, 0)), Ok(Some("2000-02-29T00:00:00".to_owned())));
        assert_eq!(mtf_date_text([0; 5]), Ok(None));
    }

    #[test]
    fn rejects_out_of_range_fields() {
        assert_eq!(mtf_date_text(pack(2023, 2, 29, 0, 0, 0)), Err(()));
        assert_eq!(mtf_date_text(pack(2024, 13, 1, 0, 0, 0)), Err(()));
        assert_eq!(mtf_date_text(pack(2024, 1, 1, 24, 0, 0)), Err(()));
        assert_eq!(mtf_date_text(pack(2024, 1, 1, 0, 60, 0)), Err(()));
        assert_eq!(mtf_date_text([0xff; 5]), Err(()));
    }
}
