//! Planning a multipart upload (S3 API reference, "Amazon S3 multipart upload limits"): the part
//! size from the file size, each part's byte range, which parts a resumed upload still needs, and
//! the progress figures (percent, rate, ETA). Pure: the bindings read the file and send the parts.

use serde::Serialize;

use crate::s3::multipart::DonePart;

pub const MIB: u64 = 1_048_576;
/// Every part but the last must be at least 5 MiB.
pub const MIN_PART_SIZE: u64 = 5 * MIB;
pub const MAX_PART_SIZE: u64 = 5 * 1024 * MIB;
pub const MAX_PARTS: u64 = 10_000;
/// The largest object S3 stores: 5 TiB.
pub const MAX_OBJECT_SIZE: u64 = 5 * 1024 * 1024 * MIB;
/// 8 MiB parts unless the file needs bigger ones to stay within 10 000 parts.
pub const DEFAULT_PART_SIZE: u64 = 8 * MIB;
pub const DEFAULT_CONCURRENCY: u32 = 4;
pub const MAX_CONCURRENCY: u32 = 64;

/// How a file is sent: its size, the part size and the number of parts. A plan of one part is sent
/// as a single PUT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PartPlan {
    pub size: u64,
    pub part_size: u64,
    pub count: u32,
}

/// Why no plan fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanError {
    /// Part size below 5 MiB or above 5 GiB.
    PartSize,
    /// More than 10 000 parts at the requested part size.
    TooManyParts,
    /// Larger than S3's 5 TiB object limit.
    TooLarge,
    /// Concurrency outside 1..=64.
    Concurrency,
}

impl PlanError {
    pub fn message(self) -> &'static str {
        match self {
            PlanError::PartSize => "the part size must be between 5 MiB (5242880) and 5 GiB",
            PlanError::TooManyParts => {
                "the file would need more than 10000 parts at this part size: choose a larger one"
            }
            PlanError::TooLarge => "the file is larger than 5 TiB, the largest S3 object",
            PlanError::Concurrency => "the number of parts sent in parallel must be between 1 and 64",
        }
    }
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for PlanError {}

/// The plan for a file of `size` bytes. Without a requested part size: 8 MiB, or the smallest whole
/// number of MiB that keeps the count within 10 000.
pub fn plan(size: u64, requested_part_size: Option<u64>) -> Result<PartPlan, PlanError> {
    if size > MAX_OBJECT_SIZE {
        return Err(PlanError::TooLarge);
    }
    let part_size = match requested_part_size {
        Some(p) if !(MIN_PART_SIZE..=MAX_PART_SIZE).contains(&p) => return Err(PlanError::PartSize),
        Some(p) => p,
        None => {
            let needed_mib = size.div_ceil(MAX_PARTS).div_ceil(MIB);
            needed_mib.saturating_mul(MIB).max(DEFAULT_PART_SIZE)
        }
    };
    let count = size.div_ceil(part_size).max(1);
    if count > MAX_PARTS {
        return Err(PlanError::TooManyParts);
    }
    Ok(PartPlan { size, part_size, count: u32::try_from(count).map_err(|_| PlanError::TooManyParts)? })
}

pub fn check_concurrency(n: u32) -> Result<u32, PlanError> {
    if (1..=MAX_CONCURRENCY).contains(&n) {
        Ok(n)
    } else {
        Err(PlanError::Concurrency)
    }
}

impl PartPlan {
    /// Sent with one PUT instead of a multipart upload.
    pub fn is_single(&self) -> bool {
        self.count <= 1
    }

    /// Offset and length of part `number` (1-based), or `None` outside 1..=count.
    pub fn part(&self, number: u32) -> Option<(u64, u64)> {
        if number == 0 || number > self.count {
            return None;
        }
        let offset = u64::from(number.saturating_sub(1)).saturating_mul(self.part_size);
        let length = self.size.saturating_sub(offset).min(self.part_size);
        Some((offset, length))
    }
}

/// What a resumed upload keeps and what it sends again.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResumePlan {
    /// Parts kept as they are, by part number, with their ETags.
    pub kept: Vec<(u32, String)>,
    /// Parts to send (missing, of another size than the plan says, or without a known ETag).
    pub to_send: Vec<u32>,
    pub kept_bytes: u64,
}

/// Matches the server's parts against the plan: a part is kept when its size is the planned one
/// and its ETag is known (from `listed`, else from `remembered`); every other part is sent again.
pub fn reconcile(plan: &PartPlan, listed: &[DonePart], remembered: &[DonePart]) -> ResumePlan {
    let on_server = by_number(plan, listed);
    let known = by_number(plan, remembered);
    let mut out = ResumePlan::default();
    for number in 1..=plan.count {
        let Some((_, length)) = plan.part(number) else { continue };
        let remembered_etag = || known.get(number as usize).copied().flatten().and_then(|r| r.etag.clone());
        let listed_part = on_server.get(number as usize).copied().flatten();
        let etag = listed_part.and_then(|p| p.etag.clone().or_else(remembered_etag));
        match etag.filter(|e| !e.is_empty()) {
            Some(etag) => {
                out.kept.push((number, etag));
                out.kept_bytes = out.kept_bytes.saturating_add(length);
            }
            None => out.to_send.push(number),
        }
    }
    out
}

/// The first part of each number that has the planned size, indexed by part number: a
/// 10 000-part resume stays linear.
fn by_number<'a>(plan: &PartPlan, parts: &'a [DonePart]) -> Vec<Option<&'a DonePart>> {
    let mut slots = vec![None; (plan.count as usize).saturating_add(1)];
    for part in parts {
        let planned = plan.part(part.part_number).map(|(_, length)| length);
        if let Some(slot @ None) = slots.get_mut(part.part_number as usize) {
            if planned == Some(part.size) {
                *slot = Some(part);
            }
        }
    }
    slots
}

/// One progress event: bytes on the server, percent, rate of this run and the time left.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgressEvent {
    pub loaded: u64,
    pub total: u64,
    /// 0..=100, one decimal.
    pub percent: f64,
    /// Bytes per second sent in this run (parts kept from an earlier run do not count).
    pub bytes_per_second: f64,
    /// `None` until something was sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eta_ms: Option<f64>,
    pub elapsed_ms: f64,
    pub done: bool,
}

/// `loaded` of `total` bytes are on the server, `skipped` of them were already there when this run
/// started `elapsed_ms` ago.
pub fn progress(loaded: u64, total: u64, skipped: u64, elapsed_ms: f64) -> ProgressEvent {
    let loaded = loaded.min(total);
    let percent = if total == 0 { 100.0 } else { (loaded as f64 * 1000.0 / total as f64).floor() / 10.0 };
    let sent = loaded.saturating_sub(skipped) as f64;
    let bytes_per_second = if elapsed_ms > 0.0 { sent * 1000.0 / elapsed_ms } else { 0.0 };
    let remaining = total.saturating_sub(loaded) as f64;
    let eta_ms = (bytes_per_second > 0.0).then(|| (remaining * 1000.0 / bytes_per_second).round());
    ProgressEvent {
        loaded,
        total,
        percent,
        bytes_per_second: bytes_per_second.round(),
        eta_ms,
        elapsed_ms: elapsed_ms.max(0.0).round(),
        done: loaded == total,
    }
}

/// Whether the object S3 now holds is the one a multipart completion of `parts` parts and `size`
/// bytes made: its size matches and its ETag has S3's multipart form `"<md5 of the part md5s>-<parts>"`.
/// Asked when a completion sent again finds the upload gone (`NoSuchUpload`): its first answer was
/// lost on the way, not its effect.
pub fn is_completed_object(size: u64, parts: u32, object_size: Option<u64>, etag: Option<&str>) -> bool {
    let suffix = etag.map(|e| e.trim_matches('"')).and_then(|e| e.rsplit_once('-')).map(|(_, n)| n);
    object_size == Some(size) && suffix.is_some_and(|n| n.parse::<u32>().ok() == Some(parts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_parts_within_the_s3_limits() {
        assert_eq!(plan(0, None), Ok(PartPlan { size: 0, part_size: 8 * MIB, count: 1 }));
        assert!(plan(8 * MIB, None).unwrap().is_single());
        let p = plan(8 * MIB + 1, None).unwrap();
        assert_eq!((p.count, p.part(2)), (2, Some((8 * MIB, 1))));
        assert_eq!(p.part(0), None);
        assert_eq!(p.part(3), None);
        // 2 GiB: 256 parts of 8 MiB; 200 GiB needs 21 MiB parts to stay within 10 000.
        assert_eq!(plan(2048 * MIB, None).unwrap().count, 256);
        let big = plan(200 * 1024 * MIB, None).unwrap();
        assert_eq!(big.part_size, 21 * MIB);
        assert!(big.count <= 10_000);
        let max = plan(MAX_OBJECT_SIZE, None).unwrap();
        assert!(max.count <= 10_000 && max.part_size <= MAX_PART_SIZE);
        assert_eq!(plan(MAX_OBJECT_SIZE + 1, None), Err(PlanError::TooLarge));
        assert_eq!(plan(10, Some(MIB)), Err(PlanError::PartSize));
        assert_eq!(plan(10_001 * MIN_PART_SIZE, Some(MIN_PART_SIZE)), Err(PlanError::TooManyParts));
        assert_eq!(check_concurrency(0), Err(PlanError::Concurrency));
        assert_eq!(check_concurrency(65), Err(PlanError::Concurrency));
    }

    #[test]
    fn ranges_cover_the_file_exactly() {
        let p = plan(50 * MIB + 123, Some(5 * MIB)).unwrap();
        let mut next = 0;
        for n in 1..=p.count {
            let (offset, length) = p.part(n).unwrap();
            assert_eq!(offset, next);
            assert!(length > 0 && length <= p.part_size);
            next += length;
        }
        assert_eq!(next, p.size);
    }

    #[test]
    fn resume_keeps_parts_of_the_planned_size_with_a_known_etag() {
        let p = plan(12 * MIB, Some(5 * MIB)).unwrap();
        let part = |n, size, etag: Option<&str>| DonePart { part_number: n, size, etag: etag.map(str::to_owned) };
        let listed = [part(1, 5 * MIB, Some("a")), part(2, 5 * MIB, None), part(3, MIB, Some("c"))];
        let remembered = [part(2, 5 * MIB, Some("b"))];
        let r = reconcile(&p, &listed, &remembered);
        assert_eq!(r.kept, vec![(1, "a".to_owned()), (2, "b".to_owned())]);
        assert_eq!(r.to_send, vec![3], "part 3 has the wrong size");
        assert_eq!(r.kept_bytes, 10 * MIB);
        assert_eq!(reconcile(&p, &listed, &[]).to_send, vec![2, 3]);
    }

    #[test]
    fn resume_of_ten_thousand_parts_matches_each_by_number() {
        let p = plan(10_000 * 5 * MIB, Some(5 * MIB)).unwrap();
        assert_eq!(p.count, 10_000);
        // Listed in reverse, every third missing, plus numbers outside the plan.
        let mut listed: Vec<DonePart> = (1..=10_000u32)
            .rev()
            .filter(|n| n % 3 != 0)
            .map(|n| DonePart { part_number: n, size: 5 * MIB, etag: Some(format!("e{n}")) })
            .collect();
        listed.push(DonePart { part_number: 0, size: 5 * MIB, etag: Some("zero".into()) });
        listed.push(DonePart { part_number: 10_001, size: 5 * MIB, etag: Some("past".into()) });
        let r = reconcile(&p, &listed, &[]);
        assert_eq!(r.to_send, (1..=10_000u32).filter(|n| n % 3 == 0).collect::<Vec<_>>());
        assert_eq!(r.kept.len(), 6_667);
        assert_eq!(r.kept.first(), Some(&(1, "e1".to_owned())));
    }

    #[test]
    fn progress_reports_rate_and_eta_of_this_run() {
        let e = progress(60, 100, 20, 2_000.0);
        assert_eq!((e.percent, e.bytes_per_second, e.eta_ms, e.done), (60.0, 20.0, Some(2_000.0), false));
        assert_eq!(progress(0, 100, 0, 0.0).eta_ms, None);
        assert!(progress(100, 100, 0, 10.0).done);
        assert_eq!(progress(0, 0, 0, 0.0).percent, 100.0);
        assert_eq!(progress(1, 3, 0, 1.0).percent, 33.3);
    }

    #[test]
    fn a_completed_object_has_the_size_and_the_multipart_etag_of_its_parts() {
        let etag = Some("\"784f51d3356d0cf5de0ec7e3211cc532-3\"");
        assert!(is_completed_object(100, 3, Some(100), etag));
        assert!(!is_completed_object(100, 3, Some(99), etag), "another size");
        assert!(!is_completed_object(100, 4, Some(100), etag), "another part count");
        assert!(!is_completed_object(100, 3, Some(100), Some("\"784f51d3356d0cf5de0ec7e3211cc532\"")), "a single PUT");
        assert!(!is_completed_object(100, 3, None, etag));
        assert!(!is_completed_object(100, 3, Some(100), None));
    }
}
