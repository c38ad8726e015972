//! The `Retry-After` response header (RFC 9110 §10.2.3) as a delay in milliseconds.
//!
//! `Retry-After = HTTP-date / delay-seconds`. `delay-seconds` is `1*DIGIT`; an HTTP-date is
//! IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), or one of the obsolete forms recipients must
//! still accept (RFC 9110 §5.6.7): RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime
//! (`Sun Nov  6 08:49:37 1994`). Parsing is lenient where leniency cannot misread a value (case of
//! names, extra spaces, a missing comma, `UTC` for `GMT`, a weekday that does not match the date)
//! and strict otherwise: fractions (`1.5`), signs (`-1`, `+1`) and anything else are rejected as
//! garbage, which the caller treats as "no `Retry-After`".

use crate::util::time::{civil_from_days, parse_api_time};

/// Longest delay this returns: a larger `delay-seconds` or a date further ahead is capped here, so
/// absurd values (`99999999999999999999`) stay usable; [`crate::http::retry`] applies its own, lower cap.
pub const MAX_RETRY_AFTER_MS: u64 = 3_600_000;

const MS_PER_SECOND: u64 = 1_000;

/// The delay a `Retry-After` value asks for, relative to `now_ms` (Unix ms): dates in the past give
/// 0, everything is capped at [`MAX_RETRY_AFTER_MS`]; `None` for a value that is neither form.
pub fn retry_after_ms(value: &str, now_ms: i64) -> Option<u64> {
    let value = value.trim_matches(|c| c == ' ' || c == '\t');
    if value.is_empty() {
        return None;
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        // All digits: the only parse failure left is overflow, which is "very long" → the cap.
        let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(seconds.saturating_mul(MS_PER_SECOND).min(MAX_RETRY_AFTER_MS));
    }
    let at_ms = http_date_ms(value, now_ms)?;
    let ahead = u64::try_from(at_ms.saturating_sub(now_ms)).unwrap_or(0);
    Some(ahead.min(MAX_RETRY_AFTER_MS))
}

/// An HTTP-date in any of the three forms as Unix milliseconds. `now_ms` resolves RFC 850's
/// two-digit year: RFC 9110 §5.6.7 says a year more than 50 years in the future means the most
/// recent past year with the same last two digits.
pub fn http_date_ms(value: &str, now_ms: i64) -> Option<i64> {
    let tokens: Vec<&str> = value.split([' ', '\t', ',']).filter(|t| !t.is_empty()).collect();
    let (day, month, year, time) = match tokens.as_slice() {
        // IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`
        [weekday, day, month, year, time, zone] if is_weekday(weekday) && is_gmt(zone) => {
            (number(day, 1, 2)?, month_number(month)?, number(year, 4, 4)?, *time)
        }
        // RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT` (a four-digit year is taken as is)
        [weekday, date, time, zone] if is_weekday(weekday) && is_gmt(zone) => {
            let mut parts = date.split('-');
            let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
            if parts.next().is_some() {
                return None;
            }
            let year = match year.len() {
                2 => full_year(number(year, 2, 2)?, now_ms)?,
                _ => number(year, 4, 4)?,
            };
            (number(day, 1, 2)?, month_number(month)?, year, *time)
        }
        // asctime: `Sun Nov  6 08:49:37 1994`
        [weekday, month, day, time, year] if is_weekday(weekday) => {
            (number(day, 1, 2)?, month_number(month)?, number(year, 4, 4)?, *time)
        }
        _ => return None,
    };
    let mut clock = time.split(':');
    let (hour, minute, second) = (clock.next()?, clock.next()?, clock.next()?);
    if clock.next().is_some() {
        return None;
    }
    let (hour, minute, second) = (number(hour, 2, 2)?, number(minute, 2, 2)?, number(second, 2, 2)?);
    // HTTP allows a leap second (`:60`); a second early does not matter for a retry delay.
    let second = if second == 60 { 59 } else { second };
    // The calendar checks (Feb 30, hour 24, year range) are parse_api_time's.
    parse_api_time(&format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z"))
}

/// `min..=max` ASCII digits, as a number.
fn number(text: &str, min: usize, max: usize) -> Option<i64> {
    if text.len() < min || text.len() > max || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn is_weekday(text: &str) -> bool {
    const NAMES: [&str; 14] = [
        "Mon",
        "Tue",
        "Wed",
        "Thu",
        "Fri",
        "Sat",
        "Sun",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    NAMES.iter().any(|name| name.eq_ignore_ascii_case(text))
}

fn is_gmt(text: &str) -> bool {
    text.eq_ignore_ascii_case("GMT") || text.eq_ignore_ascii_case("UTC")
}

fn month_number(text: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let index = MONTHS.iter().position(|name| name.eq_ignore_ascii_case(text))?;
    i64::try_from(index).ok()?.checked_add(1)
}

/// The four-digit year of a two-digit one: within 50 years either side of `now_ms`'s year.
fn full_year(two_digits: i64, now_ms: i64) -> Option<i64> {
    let now_year = year_of(now_ms)?;
    let mut year = now_year.checked_sub(now_year.rem_euclid(100))?.checked_add(two_digits)?;
    if year > now_year.checked_add(50)? {
        year = year.checked_sub(100)?;
    } else if year <= now_year.checked_sub(50)? {
        year = year.checked_add(100)?;
    }
    Some(year)
}

/// The Gregorian year of a Unix-ms instant (UTC).
fn year_of(ms: i64) -> Option<i64> {
    civil_from_days(ms.div_euclid(86_400_000)).map(|(year, _, _)| year)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_of_known_instants() {
        assert_eq!(year_of(0), Some(1970));
        assert_eq!(year_of(1_735_689_600_000), Some(2025)); // 2025-01-01T00:00:00Z
        assert_eq!(year_of(1_735_689_599_000), Some(2024));
        assert_eq!(year_of(-1), Some(1969));
    }

    #[test]
    fn two_digit_years_stay_within_fifty_years() {
        let y2025 = 1_750_000_000_000; // June 2025
        assert_eq!(full_year(94, y2025), Some(1994));
        assert_eq!(full_year(25, y2025), Some(2025));
        assert_eq!(full_year(75, y2025), Some(2075));
        assert_eq!(full_year(76, y2025), Some(1976));
        let y2099 = 4_070_000_000_000; // December 2098
        assert_eq!(full_year(1, y2099), Some(2101));
    }
}
