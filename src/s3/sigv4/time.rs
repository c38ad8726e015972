//! Unix seconds to the UTC calendar fields SigV4 writes (`20130524T000000Z`, `20130524`).
//! The caller supplies the time: the core never reads a clock. The calendar is `util::time`'s.

use crate::util::time::civil_from_days;

/// A UTC date-time with second precision, years 1970..=9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UtcDateTime {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

/// 9999-12-31T23:59:59Z: the last instant a four-digit year can write.
pub const MAX_UNIX_SECONDS: i64 = 253_402_300_799;

impl UtcDateTime {
    /// `None` before 1970 or after year 9999.
    pub fn from_unix(seconds: i64) -> Option<UtcDateTime> {
        if !(0..=MAX_UNIX_SECONDS).contains(&seconds) {
            return None;
        }
        let days = seconds.checked_div(86_400)?;
        let rest = seconds.checked_rem(86_400)?;
        let (year, month, day) = civil_from_days(days)?;
        Some(UtcDateTime {
            year: u16::try_from(year).ok()?,
            month: u8::try_from(month).ok()?,
            day: u8::try_from(day).ok()?,
            hour: u8::try_from(rest.checked_div(3_600)?).ok()?,
            minute: u8::try_from(rest.checked_rem(3_600)?.checked_div(60)?).ok()?,
            second: u8::try_from(rest.checked_rem(60)?).ok()?,
        })
    }

    /// `YYYYMMDD'T'HHMMSS'Z'`, the `X-Amz-Date` form.
    pub fn amz_date(&self) -> String {
        let mut out = self.date_stamp();
        out.push('T');
        for part in [self.hour, self.minute, self.second] {
            push_digits(&mut out, u16::from(part), 2);
        }
        out.push('Z');
        out
    }

    /// `YYYYMMDD`, the date in the credential scope.
    pub fn date_stamp(&self) -> String {
        let mut out = String::with_capacity(16);
        push_digits(&mut out, self.year, 4);
        push_digits(&mut out, u16::from(self.month), 2);
        push_digits(&mut out, u16::from(self.day), 2);
        out
    }
}

/// The last `width` (at most 5) decimal digits of `value`, zero-padded; cheaper than `format!`
/// on the signing path.
fn push_digits(out: &mut String, value: u16, width: usize) {
    let mut digits = [b'0'; 5];
    let mut rest = value;
    for digit in digits.iter_mut().rev() {
        *digit = b'0'.saturating_add(u8::try_from(rest % 10).unwrap_or(0));
        rest /= 10;
    }
    for &digit in digits.iter().skip(digits.len().saturating_sub(width)) {
        out.push(char::from(digit));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(seconds: i64) -> Option<String> {
        UtcDateTime::from_unix(seconds).map(|t| t.amz_date())
    }

    #[test]
    fn formats_known_instants() {
        assert_eq!(text(0).as_deref(), Some("19700101T000000Z"));
        assert_eq!(text(1_369_353_600).as_deref(), Some("20130524T000000Z"));
        assert_eq!(text(1_440_938_160).as_deref(), Some("20150830T123600Z"));
        assert_eq!(text(951_782_400).as_deref(), Some("20000229T000000Z"));
        assert_eq!(text(951_868_799).as_deref(), Some("20000229T235959Z"));
        assert_eq!(text(4_107_542_400).as_deref(), Some("21000301T000000Z"));
        assert_eq!(text(MAX_UNIX_SECONDS).as_deref(), Some("99991231T235959Z"));
        assert_eq!(UtcDateTime::from_unix(1_369_353_600).map(|t| t.date_stamp()).as_deref(), Some("20130524"));
    }

    #[test]
    fn rejects_instants_outside_four_digit_years() {
        assert_eq!(text(-1), None);
        assert_eq!(text(MAX_UNIX_SECONDS + 1), None);
        assert_eq!(text(i64::MAX), None);
        assert_eq!(text(i64::MIN), None);
    }

    /// Walks every day from 1970 to 2400 and checks it follows the previous one.
    #[test]
    fn consecutive_days_follow_the_calendar() {
        let leap = |y: u16| (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
        let mut previous = UtcDateTime::from_unix(0).unwrap();
        for day in 1..157_000_i64 {
            let t = UtcDateTime::from_unix(day * 86_400).unwrap();
            let month_len = match previous.month {
                2 if leap(previous.year) => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            let expected = if previous.day < month_len {
                (previous.year, previous.month, previous.day + 1)
            } else if previous.month < 12 {
                (previous.year, previous.month + 1, 1)
            } else {
                (previous.year + 1, 1, 1)
            };
            assert_eq!((t.year, t.month, t.day), expected, "day {day}");
            previous = t;
        }
    }
}
