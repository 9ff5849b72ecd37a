//! Partial dates as historians write them (`1989`, `1989-07`, `1989-07-19`, and in the
//! EDTF style `1996~` for "about", `1989?` for "uncertain"), ranges of them, their
//! Chinese display (`1989年7月19日`, `约1996年`, `1996年—2002年`) and their ordering.

use std::cmp::Ordering;
use std::fmt;

use crate::messages::{self, Text};

/// The forms a date may take, quoted in every date error.
pub(crate) const ACCEPTED_FORMS: &str = "write a year, a month or a day: 1989, 1989-07 or 1989-07-19 (add ~ for \"about\", ? for \"uncertain\"; a range is 1988/1990)";

/// How sure a date is, as EDTF marks it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Certainty {
    /// As written.
    #[default]
    Exact,
    /// `~`: about then (约).
    Approximate,
    /// `?`: the source is unsure.
    Uncertain,
    /// `%`: both.
    ApproximateUncertain,
}

/// A date known to the year, the month or the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    /// The year, 1–9999.
    pub year: u16,
    /// The month 1–12, when known.
    pub month: Option<u8>,
    /// The day of the month, when known (only with a month).
    pub day: Option<u8>,
    /// Whether it is exact, approximate or uncertain.
    pub certainty: Certainty,
}

impl PartialDate {
    /// Parses `1989`, `1989-07` or `1989-07-19`; the error says what is wrong.
    pub fn parse(text: &str) -> Result<PartialDate, Text> {
        let text = text.trim();
        let invalid = || messages::not_a_date(text);
        let (bare, certainty) = match text.as_bytes().last() {
            Some(b'~') => (&text[..text.len() - 1], Certainty::Approximate),
            Some(b'?') => (&text[..text.len() - 1], Certainty::Uncertain),
            Some(b'%') => (&text[..text.len() - 1], Certainty::ApproximateUncertain),
            _ => (text, Certainty::Exact),
        };
        let mut parts = bare.split('-');
        let year = parts.next().filter(|y| y.len() == 4).ok_or_else(invalid)?;
        let year: u16 = digits(year).ok_or_else(invalid)?;
        let month = match parts.next() {
            None => None,
            Some(m) if m.len() == 2 => Some(digits::<u8>(m).ok_or_else(invalid)?),
            Some(_) => return Err(invalid()),
        };
        let day = match parts.next() {
            None => None,
            Some(d) if d.len() == 2 => Some(digits::<u8>(d).ok_or_else(invalid)?),
            Some(_) => return Err(invalid()),
        };
        if parts.next().is_some() || year == 0 {
            return Err(invalid());
        }
        if let Some(m) = month
            && !(1..=12).contains(&m)
        {
            return Err(messages::bad_month(text, m));
        }
        if let (Some(m), Some(d)) = (month, day) {
            let last = days_in_month(year, m);
            if d == 0 || d > last {
                return Err(messages::bad_day(text, year, m, d, last));
            }
        }
        Ok(PartialDate {
            year,
            month,
            day,
            certainty,
        })
    }

    /// The key dates sort by: a coarser date sorts before finer ones within its period.
    fn sort_key(&self) -> (u16, u8, u8, Certainty) {
        (
            self.year,
            self.month.unwrap_or(0),
            self.day.unwrap_or(0),
            self.certainty,
        )
    }

    /// Whether `other` falls within the period this date names (1989-07 holds
    /// 1989-07-19; 1989 holds all of 1989).
    pub fn holds(&self, other: &PartialDate) -> bool {
        let first = (self.year, self.month.unwrap_or(0), self.day.unwrap_or(0));
        let last = (self.year, self.month.unwrap_or(12), self.day.unwrap_or(31));
        let point = (other.year, other.month.unwrap_or(0), other.day.unwrap_or(0));
        first <= point && point <= last
    }

    /// The date as EDTF writes it, qualifier included: `1996~`, `1989-07-19`.
    pub fn edtf(&self) -> String {
        let mark = match self.certainty {
            Certainty::Exact => "",
            Certainty::Approximate => "~",
            Certainty::Uncertain => "?",
            Certainty::ApproximateUncertain => "%",
        };
        format!("{}{mark}", self.iso())
    }

    /// ISO 8601 text of the known part: `1989`, `1989-07`, `1989-07-19`.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// The first instant of the period, as an RFC 3339 timestamp (for feeds).
    pub fn rfc3339(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T00:00:00Z",
            self.year,
            self.month.unwrap_or(1),
            self.day.unwrap_or(1)
        )
    }
}

fn digits<T: std::str::FromStr>(s: &str) -> Option<T> {
    s.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| s.parse().ok())?
}

/// The days of a month: 28 to 31.
pub(crate) fn days_in_month(year: u16, month: u8) -> u8 {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Chinese display: `1989年`, `1989年7月`, `1989年7月19日`, `约1996年`, `1989年?`.
impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let approximate = matches!(
            self.certainty,
            Certainty::Approximate | Certainty::ApproximateUncertain
        );
        if approximate {
            f.write_str("约")?;
        }
        write!(f, "{}年", self.year)?;
        if let Some(m) = self.month {
            write!(f, "{m}月")?;
        }
        if let Some(d) = self.day {
            write!(f, "{d}日")?;
        }
        self.write_doubt(f)
    }
}

impl PartialDate {
    fn write_doubt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.certainty {
            Certainty::Uncertain | Certainty::ApproximateUncertain => f.write_str("?"),
            _ => Ok(()),
        }
    }
}

/// A date, or a span from one date to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateRange {
    /// When it began (or the date itself).
    pub start: PartialDate,
    /// When it ended, for a span.
    pub end: Option<PartialDate>,
}

impl DateRange {
    /// Parses a `date` field, which may itself be a range (`1988/1990`), with an
    /// optional separate end date.
    pub fn parse(date: &str, end: Option<&str>) -> Result<DateRange, Text> {
        let (start, end) = match date.split_once('/') {
            Some((first, last)) => {
                if end.is_some() {
                    return Err(messages::range_and_end(date));
                }
                if last.contains('/') {
                    return Err(messages::not_a_date(date));
                }
                if last.trim().is_empty() {
                    return Err(messages::range_without_end(date));
                }
                (PartialDate::parse(first)?, Some(PartialDate::parse(last)?))
            }
            None => (
                PartialDate::parse(date)?,
                end.map(PartialDate::parse).transpose()?,
            ),
        };
        DateRange::new(start, end)
    }

    /// A span, refused when it ends before it starts.
    pub fn new(start: PartialDate, end: Option<PartialDate>) -> Result<DateRange, Text> {
        if let Some(end) = end
            && (end.year, end.month.unwrap_or(12), end.day.unwrap_or(31))
                < (start.year, start.month.unwrap_or(0), start.day.unwrap_or(0))
        {
            return Err(messages::end_before_start(&end.iso(), &start.iso()));
        }
        Ok(DateRange { start, end })
    }
}

impl Ord for DateRange {
    fn cmp(&self, other: &Self) -> Ordering {
        self.start
            .cmp(&other.start)
            .then_with(|| self.end.cmp(&other.end))
    }
}

impl PartialOrd for DateRange {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Chinese display of a range: the end leaves out what it shares with the start, as
/// Chinese writing does (`1989年7月19日—26日`, `1989年7月—8月`, `1996年—2002年`).
impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.start)?;
        let Some(end) = self.end.filter(|end| *end != self.start) else {
            return Ok(());
        };
        if end.certainty != Certainty::Exact || self.start.certainty != Certainty::Exact {
            return write!(f, "—{end}");
        }
        let same_year =
            end.year == self.start.year && end.month.is_some() && self.start.month.is_some();
        let same_month = same_year
            && end.month == self.start.month
            && end.day.is_some()
            && self.start.day.is_some();
        f.write_str("—")?;
        match (same_year, same_month) {
            (_, true) => write!(f, "{}日", end.day.unwrap_or_default()),
            (true, false) => {
                write!(f, "{}月", end.month.unwrap_or_default())?;
                match end.day {
                    Some(d) => write!(f, "{d}日"),
                    None => Ok(()),
                }
            }
            _ => write!(f, "{end}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    #[test]
    fn parses_every_precision() {
        assert_eq!(
            d("1989"),
            PartialDate {
                year: 1989,
                month: None,
                day: None,
                certainty: Certainty::Exact,
            }
        );
        assert_eq!(d("1989-07").month, Some(7));
        assert_eq!(d("1989-07-19").day, Some(19));
        assert_eq!(d("2000-02-29").day, Some(29));
    }

    #[test]
    fn refuses_what_is_not_a_date() {
        for bad in [
            "89年",
            "89",
            "1989-13",
            "1989-13-01",
            "1989-02-30",
            "1900-02-29",
            "1989/07/19",
            "1989-7-19",
            "",
            "1989-07-19-01",
            "0000",
        ] {
            let err = PartialDate::parse(bad).unwrap_err();
            assert!(err.en.contains(bad.trim()), "{bad}: {err}");
        }
        assert!(
            PartialDate::parse("1989-13")
                .unwrap_err()
                .en
                .contains("01 to 12")
        );
        assert!(
            PartialDate::parse("1989-02-30")
                .unwrap_err()
                .en
                .contains("01 to 28")
        );
    }

    #[test]
    fn displays_the_chinese_way() {
        assert_eq!(d("1989").to_string(), "1989年");
        assert_eq!(d("1989-07").to_string(), "1989年7月");
        assert_eq!(d("1989-07-19").to_string(), "1989年7月19日");
        let range = |a, b| DateRange::new(d(a), Some(d(b))).unwrap().to_string();
        assert_eq!(range("1996", "2002"), "1996年—2002年");
        assert_eq!(range("1989-07-19", "1989-07-26"), "1989年7月19日—26日");
        assert_eq!(range("1989-07", "1989-08"), "1989年7月—8月");
        assert_eq!(range("1989-07-19", "1989-08-02"), "1989年7月19日—8月2日");
        assert_eq!(range("1988-06", "1990-04"), "1988年6月—1990年4月");
        assert_eq!(range("1989", "1989"), "1989年");
    }

    #[test]
    fn coarser_dates_sort_first_within_their_period() {
        let mut dates = [
            d("1989-07-19"),
            d("1990"),
            d("1989"),
            d("1989-07"),
            d("1988-12"),
        ];
        dates.sort();
        let iso: Vec<String> = dates.iter().map(PartialDate::iso).collect();
        assert_eq!(iso, ["1988-12", "1989", "1989-07", "1989-07-19", "1990"]);
    }

    #[test]
    fn uncertain_dates_and_slash_ranges() {
        assert_eq!(d("1996~").to_string(), "约1996年");
        assert_eq!(d("1989?").to_string(), "1989年?");
        assert_eq!(d("1989-07%").to_string(), "约1989年7月?");
        assert_eq!(d("1996~").edtf(), "1996~");
        assert_eq!(d("1996~").iso(), "1996");
        let r = DateRange::parse("1988/1990", None).unwrap();
        assert_eq!(r.to_string(), "1988年—1990年");
        assert_eq!(
            DateRange::parse("1996~", Some("2002")).unwrap().to_string(),
            "约1996年—2002年"
        );
        assert!(
            DateRange::parse("1988/1990", Some("1991"))
                .unwrap_err()
                .en
                .contains("already a range")
        );
        assert!(
            DateRange::parse("1989/07/19", None)
                .unwrap_err()
                .en
                .contains("1988/1990")
        );
        assert!(
            DateRange::parse("1990/1988", None)
                .unwrap_err()
                .en
                .contains("before")
        );
        // An exact date sorts before an uncertain one of the same period.
        assert!(d("1989") < d("1989?"));
    }

    #[test]
    fn periods_hold_finer_dates() {
        assert!(d("1989-07").holds(&d("1989-07-19")));
        assert!(d("1989").holds(&d("1989-12-31")));
        assert!(!d("1989-07").holds(&d("1989-08-01")));
        assert!(!d("1989-07-19").holds(&d("1989-07")));
    }

    #[test]
    fn refuses_an_end_before_its_start() {
        assert!(
            DateRange::new(d("2002"), Some(d("1996")))
                .unwrap_err()
                .en
                .contains("before")
        );
        assert!(DateRange::new(d("1989"), Some(d("1989-07"))).is_ok());
    }
}
