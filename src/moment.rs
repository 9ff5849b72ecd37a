//! When material was published or updated on the site, as opposed to the historical
//! `date` it is about: a date as the editor wrote it (`2024-03`) or an instant with its
//! UTC offset (a commit's time). std has no calendar, so the day-count conversions are
//! here too.

use std::cmp::Ordering;
use std::fmt;

use crate::date::{Certainty, PartialDate, days_in_month};
use crate::messages::{self, Text};

/// An instant and the UTC offset it was recorded in, as RFC 3339 writes it:
/// `2024-03-05T10:20:30+08:00`. Keeping the offset keeps the date the author saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Timestamp {
    /// Seconds since 1970-01-01T00:00:00Z.
    pub seconds: i64,
    /// Minutes east of UTC.
    pub offset_minutes: i32,
}

impl Timestamp {
    /// An instant at UTC.
    pub fn from_unix(seconds: i64) -> Timestamp {
        Timestamp {
            seconds,
            offset_minutes: 0,
        }
    }

    /// Parses RFC 3339 (`2024-03-05T10:20:30+08:00`, `…Z`, fractions of a second
    /// ignored), which is also what `git log --format=%cI` prints.
    pub fn parse(text: &str) -> Result<Timestamp, Text> {
        let text = text.trim();
        let invalid = || messages::not_a_time(text);
        let (date, time) = text.split_once(['T', 't']).ok_or_else(invalid)?;
        let date = PartialDate::parse(date).map_err(|_| invalid())?;
        let (Some(month), Some(day), Certainty::Exact) = (date.month, date.day, date.certainty)
        else {
            return Err(invalid());
        };
        let number = |s: &str, max: i64| {
            (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<i64>().ok())
                .flatten()
                .filter(|n| *n <= max)
                .ok_or_else(invalid)
        };
        let clock = time.get(..8).ok_or_else(invalid)?;
        let mut parts = clock.split(':');
        let (Some(h), Some(m), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        let of_day = number(h, 23)? * 3600 + number(m, 59)? * 60 + number(s, 59)?;
        let mut rest = &time[8..];
        if let Some(fraction) = rest.strip_prefix('.') {
            let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err(invalid());
            }
            rest = &fraction[digits..];
        }
        let offset_minutes = match rest {
            "Z" | "z" => 0,
            "" => return Err(messages::no_utc_offset(text)),
            _ => {
                let sign = match rest.as_bytes()[0] {
                    b'+' => 1,
                    b'-' => -1,
                    _ => return Err(invalid()),
                };
                let (h, m) = rest[1..].split_once(':').ok_or_else(invalid)?;
                (sign * (number(h, 23)? * 60 + number(m, 59)?)) as i32
            }
        };
        let days = days_from_civil(i64::from(date.year), month, day);
        Ok(Timestamp {
            seconds: days * 86_400 + of_day - i64::from(offset_minutes) * 60,
            offset_minutes,
        })
    }

    /// Seconds since 1970 on the author's clock.
    fn local_seconds(&self) -> i64 {
        self.seconds + i64::from(self.offset_minutes) * 60
    }

    /// The day it was where it was recorded.
    pub fn local_date(&self) -> PartialDate {
        let (year, month, day) = civil_from_days(self.local_seconds().div_euclid(86_400));
        PartialDate {
            year: year.clamp(1, 9999) as u16,
            month: Some(month),
            day: Some(day),
            certainty: Certainty::Exact,
        }
    }

    /// RFC 3339 in its own offset: `2024-03-05T10:20:30+08:00`, `…Z` at UTC.
    pub fn rfc3339(&self) -> String {
        let local = self.local_seconds();
        let (year, month, day) = civil_from_days(local.div_euclid(86_400));
        let of_day = local.rem_euclid(86_400);
        let offset = match self.offset_minutes {
            0 => "Z".to_owned(),
            m => format!(
                "{}{:02}:{:02}",
                if m < 0 { '-' } else { '+' },
                m.abs() / 60,
                m.abs() % 60
            ),
        };
        format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}{offset}",
            of_day / 3600,
            of_day % 3600 / 60,
            of_day % 60
        )
    }
}

/// When a page was published or updated: a date as precise as the editor wrote it, or
/// an instant (a full timestamp in front matter, or the file's last commit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Moment {
    /// `2024`, `2024-03` or `2024-03-05`.
    Date(PartialDate),
    /// `2024-03-05T10:20:30+08:00`.
    Time(Timestamp),
}

impl Moment {
    /// Parses a `published` or `updated` value: a date of any precision or an RFC 3339
    /// time. Unlike historical dates it is never "about" or "uncertain", nor a range.
    pub fn parse(text: &str) -> Result<Moment, Text> {
        let text = text.trim();
        if text.contains(['T', 't']) {
            return Timestamp::parse(text).map(Moment::Time);
        }
        // A bad month or day is said as for any date; the forms offered are this field's.
        let date = PartialDate::parse(text).map_err(|e| {
            if e == messages::not_a_date(text) {
                messages::not_a_moment(text)
            } else {
                e
            }
        })?;
        if date.certainty != Certainty::Exact {
            return Err(messages::moment_not_exact(text));
        }
        Ok(Moment::Date(date))
    }

    /// The first and last second it covers, UTC (a date covers its whole period).
    fn span(&self) -> (i64, i64) {
        match self {
            Moment::Time(t) => (t.seconds, t.seconds),
            Moment::Date(d) => {
                let year = i64::from(d.year);
                let first = days_from_civil(year, d.month.unwrap_or(1), d.day.unwrap_or(1));
                let last_month = d.month.unwrap_or(12);
                let last_day = d.day.unwrap_or_else(|| days_in_month(d.year, last_month));
                let last = days_from_civil(year, last_month, last_day);
                (first * 86_400, last * 86_400 + 86_399)
            }
        }
    }

    /// Whether it ends before `other` begins (`updated` may not be before `published`).
    pub fn before(&self, other: &Moment) -> bool {
        self.span().1 < other.span().0
    }

    /// The day it names, as the author saw it.
    pub fn date(&self) -> PartialDate {
        match self {
            Moment::Date(d) => *d,
            Moment::Time(t) => t.local_date(),
        }
    }

    /// For `<time datetime>` and the sitemap's `<lastmod>` (both take W3C dates):
    /// `2024`, `2024-03-05` or `2024-03-05T10:20:30+08:00`.
    pub fn iso(&self) -> String {
        match self {
            Moment::Date(d) => d.iso(),
            Moment::Time(t) => t.rfc3339(),
        }
    }

    /// RFC 3339 for Atom, which wants a full time: a date is its first instant at UTC.
    pub fn rfc3339(&self) -> String {
        match self {
            Moment::Date(d) => d.rfc3339(),
            Moment::Time(t) => t.rfc3339(),
        }
    }
}

/// Earliest first; within one instant a date before a time, coarser dates first.
impl Ord for Moment {
    fn cmp(&self, other: &Self) -> Ordering {
        self.span()
            .0
            .cmp(&other.span().0)
            .then_with(|| match (self, other) {
                (Moment::Date(a), Moment::Date(b)) => a.cmp(b),
                (Moment::Time(a), Moment::Time(b)) => {
                    (a.seconds, a.offset_minutes).cmp(&(b.seconds, b.offset_minutes))
                }
                (Moment::Date(_), Moment::Time(_)) => Ordering::Less,
                (Moment::Time(_), Moment::Date(_)) => Ordering::Greater,
            })
    }
}

impl PartialOrd for Moment {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Chinese display of the day: `2024年3月5日`, `2024年3月`.
impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.date().fmt(f)
    }
}

/// Days since 1970-01-01 of a day of the proleptic Gregorian calendar (Howard Hinnant's
/// `days_from_civil`).
pub(crate) fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (i64::from(month) + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The year, month and day of a count of days since 1970-01-01 (`civil_from_days`).
pub(crate) fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u8;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    } as u8;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str) -> Moment {
        Moment::parse(text).unwrap()
    }

    #[test]
    fn day_counts_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        for days in (-800_000..3_000_000).step_by(997) {
            let (y, mo, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, mo, d), days);
        }
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
    }

    #[test]
    fn reads_git_times_and_keeps_their_offset() {
        let t = Timestamp::parse("2024-03-05T01:20:30+08:00").unwrap();
        assert_eq!(t.seconds, 1_709_572_830);
        assert_eq!(t.rfc3339(), "2024-03-05T01:20:30+08:00");
        // The author's day, not UTC's (which is still 4 March).
        assert_eq!(t.local_date().to_string(), "2024年3月5日");
        assert_eq!(
            Timestamp::parse("2024-03-04T17:20:30.25Z")
                .unwrap()
                .rfc3339(),
            "2024-03-04T17:20:30Z"
        );
        assert_eq!(
            Timestamp::parse("1999-12-31T23:00:00-05:30")
                .unwrap()
                .rfc3339(),
            "1999-12-31T23:00:00-05:30"
        );
        for bad in [
            "2024-03-05T25:00:00Z",
            "2024-03-05T10:00Z",
            "2024-03T10:00:00Z",
            "2024-03-05T10:00:00+8",
            "2024-02-30T10:00:00Z",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad}");
        }
        assert!(
            Timestamp::parse("2024-03-05T10:00:00")
                .unwrap_err()
                .en
                .contains("UTC offset")
        );
    }

    #[test]
    fn moments_parse_dates_of_any_precision_but_no_doubt() {
        assert_eq!(m("2024").iso(), "2024");
        assert_eq!(m("2024-03").to_string(), "2024年3月");
        assert_eq!(m("2024-03-05").rfc3339(), "2024-03-05T00:00:00Z");
        assert_eq!(
            m("2024-03-05T09:30:00+08:00").iso(),
            "2024-03-05T09:30:00+08:00"
        );
        let err = Moment::parse("2024-13").unwrap_err();
        assert!(err.en.contains("month 13"), "{err}");
        let err = Moment::parse("昨天").unwrap_err();
        for said in [&err.en, &err.zh] {
            assert!(said.contains("2024-03-05T09:30:00+08:00") && !said.contains("1988/1990"));
        }
        assert!(Moment::parse("2024~").unwrap_err().zh.contains("“约”"));
        assert!(Moment::parse("2023/2024").is_err());
    }

    #[test]
    fn moments_order_by_instant_and_know_what_comes_before() {
        let mut all = [
            m("2024-03-05T09:00:00+08:00"),
            m("2024-03"),
            m("2024"),
            m("2024-03-05"),
            m("2023-12-31T23:00:00-05:00"),
        ];
        all.sort();
        let iso: Vec<String> = all.iter().map(Moment::iso).collect();
        assert_eq!(
            iso,
            [
                "2024",
                "2023-12-31T23:00:00-05:00",
                "2024-03",
                "2024-03-05",
                "2024-03-05T09:00:00+08:00"
            ]
        );
        assert!(m("2023").before(&m("2024-01")));
        assert!(!m("2024").before(&m("2024-06-01")));
        assert!(!m("2024-06-01").before(&m("2024")));
        assert!(m("2024-02").before(&m("2024-03-01T00:00:00Z")));
    }
}
