//! The calendar, the one home for it (proleptic Gregorian: leap years, month lengths, dates ↔ days
//! since 1970), and the API's timestamps as Unix milliseconds.
//!
//! Two forms occur (OpenAPI specs in pkg-template/emulator/openapi, `backup.runningRestore` vs `backup.completionTime`): RFC 3339
//! (`2023-12-14T23:25:03Z`, `2003-04-08T09:13:36.39Z`, offsets like `+02:00`) and SQL Server's
//! zone-less `2023-09-25T12:17:30` for running restores, which this reads as UTC (inferred: no
//! source states the zone; the service runs its instances in UTC).

const MS_PER_SECOND: i64 = 1_000;
const SECONDS_PER_DAY: i64 = 86_400;

/// `YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM]` (also `t`/space for `T` and `z` for `Z`, as RFC 3339
/// allows) → milliseconds since 1970-01-01T00:00:00Z; no zone means UTC. Fractions beyond
/// milliseconds are truncated. `None` for anything else, including impossible dates
/// (`2023-02-30`), leap seconds (`:60`) and years outside 0000–9999.
pub fn parse_api_time(text: &str) -> Option<i64> {
    let mut cursor = Cursor { bytes: text.as_bytes(), pos: 0 };
    let year = cursor.number(4)?;
    cursor.expect(b'-')?;
    let month = cursor.number(2)?;
    cursor.expect(b'-')?;
    let day = cursor.number(2)?;
    match cursor.next()? {
        b'T' | b't' | b' ' => {}
        _ => return None,
    }
    let hour = cursor.number(2)?;
    cursor.expect(b':')?;
    let minute = cursor.number(2)?;
    cursor.expect(b':')?;
    let second = cursor.number(2)?;
    let millis = if cursor.peek() == Some(b'.') {
        cursor.next()?;
        cursor.fraction_millis()?
    } else {
        0
    };
    let offset_seconds = match cursor.next() {
        None => 0,
        Some(b'Z' | b'z') => 0,
        Some(sign @ (b'+' | b'-')) => {
            let hours = cursor.number(2)?;
            cursor.expect(b':')?;
            let minutes = cursor.number(2)?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let magnitude = hours.checked_mul(3_600)?.checked_add(minutes.checked_mul(60)?)?;
            if sign == b'-' {
                magnitude.checked_neg()?
            } else {
                magnitude
            }
        }
        Some(_) => return None,
    };
    if !cursor.at_end() {
        return None;
    }
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month)? {
        return None;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }

    let days = days_from_civil(year, month, day)?;
    let seconds_of_day = hour.checked_mul(3_600)?.checked_add(minute.checked_mul(60)?)?.checked_add(second)?;
    let seconds = days.checked_mul(SECONDS_PER_DAY)?.checked_add(seconds_of_day)?.checked_sub(offset_seconds)?;
    seconds.checked_mul(MS_PER_SECOND)?.checked_add(millis)
}

struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.pos = self.pos.checked_add(1)?;
        Some(byte)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn expect(&mut self, wanted: u8) -> Option<()> {
        (self.next()? == wanted).then_some(())
    }

    fn digit(&mut self) -> Option<i64> {
        let byte = self.peek().filter(u8::is_ascii_digit)?;
        self.next()?;
        Some(i64::from(byte.checked_sub(b'0')?))
    }

    /// Exactly `count` ASCII digits.
    fn number(&mut self, count: usize) -> Option<i64> {
        (0..count).try_fold(0_i64, |acc, _| acc.checked_mul(10)?.checked_add(self.digit()?))
    }

    /// One or more digits after the `.`, as whole milliseconds (truncated).
    fn fraction_millis(&mut self) -> Option<i64> {
        let mut millis = 0_i64;
        let mut count = 0_usize;
        while let Some(d) = self.digit() {
            if count < 3 {
                millis = millis.checked_mul(10)?.checked_add(d)?;
            }
            count = count.checked_add(1)?;
        }
        if count == 0 {
            return None;
        }
        // `.5` is 500 ms, `.39` 390 ms.
        for _ in count..3 {
            millis = millis.checked_mul(10)?;
        }
        Some(millis)
    }
}

/// Gregorian leap year: divisible by 4, and not by 100 unless by 400.
pub fn is_leap_year(year: i64) -> Option<bool> {
    let divisible = |by: i64| year.checked_rem(by).map(|r| r == 0);
    Some(divisible(4)? && (!divisible(100)? || divisible(400)?))
}

/// The length of `month` (1–12) of `year`; `None` for another month.
pub fn days_in_month(year: i64, month: i64) -> Option<i64> {
    Some(match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year)? => 29,
        2 => 28,
        _ => return None,
    })
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-Compatible Low-Level
/// Date Algorithms", `days_from_civil`), every step checked.
pub fn days_from_civil(year: i64, month: i64, day: i64) -> Option<i64> {
    let y = if month <= 2 { year.checked_sub(1)? } else { year };
    let era = if y >= 0 { y } else { y.checked_sub(399)? }.checked_div(400)?;
    let year_of_era = y.checked_sub(era.checked_mul(400)?)?; // [0, 399]
    let shifted_month = if month > 2 { month.checked_sub(3)? } else { month.checked_add(9)? }; // March = 0
    let day_of_year =
        shifted_month.checked_mul(153)?.checked_add(2)?.checked_div(5)?.checked_add(day)?.checked_sub(1)?; // [0, 365]
    let day_of_era = year_of_era
        .checked_mul(365)?
        .checked_add(year_of_era.checked_div(4)?)?
        .checked_sub(year_of_era.checked_div(100)?)?
        .checked_add(day_of_year)?; // [0, 146096]
    era.checked_mul(146_097)?.checked_add(day_of_era)?.checked_sub(719_468)
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar:
/// H. Hinnant's `civil_from_days` (chrono-compatible algorithms paper), with eras of 400 years
/// (146 097 days) starting on 0000-03-01 so the leap day falls at the end of each year.
pub fn civil_from_days(days: i64) -> Option<(i64, i64, i64)> {
    let z = days.checked_add(719_468)?;
    let era = z.checked_div_euclid(146_097)?;
    let day_of_era = z.checked_sub(era.checked_mul(146_097)?)?; // [0, 146096]
    let year_of_era = day_of_era
        .checked_sub(day_of_era.checked_div(1_460)?)?
        .checked_add(day_of_era.checked_div(36_524)?)?
        .checked_sub(day_of_era.checked_div(146_096)?)?
        .checked_div(365)?;
    let day_of_year = day_of_era.checked_sub(
        year_of_era
            .checked_mul(365)?
            .checked_add(year_of_era.checked_div(4)?)?
            .checked_sub(year_of_era.checked_div(100)?)?,
    )?;
    let month_from_march = day_of_year.checked_mul(5)?.checked_add(2)?.checked_div(153)?;
    let day =
        day_of_year.checked_sub(month_from_march.checked_mul(153)?.checked_add(2)?.checked_div(5)?)?.checked_add(1)?;
    let month =
        if month_from_march < 10 { month_from_march.checked_add(3)? } else { month_from_march.checked_sub(9)? };
    let year = year_of_era.checked_add(era.checked_mul(400)?)?.checked_add(i64::from(month <= 2))?;
    Some((year, month, day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days_match_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), Some(0));
        assert_eq!(days_from_civil(2000, 3, 1), Some(11_017));
        assert_eq!(days_from_civil(1969, 12, 31), Some(-1));
        assert_eq!(days_from_civil(0, 1, 1), Some(-719_528));
        assert_eq!(days_from_civil(9999, 12, 31), Some(2_932_896));
    }

    #[test]
    fn civil_from_days_inverts_days_from_civil() {
        assert_eq!(civil_from_days(0), Some((1970, 1, 1)));
        assert_eq!(civil_from_days(-1), Some((1969, 12, 31)));
        assert_eq!(civil_from_days(-719_528), Some((0, 1, 1)));
        assert_eq!(civil_from_days(2_932_896), Some((9999, 12, 31)));
        for days in (-800_000..3_000_000).step_by(997) {
            let (y, m, d) = civil_from_days(days).unwrap();
            assert_eq!(days_from_civil(y, m, d), Some(days), "{days}");
        }
    }

    #[test]
    fn leap_years() {
        assert_eq!(is_leap_year(2024), Some(true));
        assert_eq!(is_leap_year(1900), Some(false));
        assert_eq!(is_leap_year(2000), Some(true));
        assert_eq!(is_leap_year(2023), Some(false));
    }
}
