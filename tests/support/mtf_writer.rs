//! Test support: writes synthetic SQL Server backups (Microsoft Tape Format) from the layout in
//! `shared/docs/backup-format.md`, with correct DBLK and stream checksums.
//!
//! Include it from a test crate with
//! `#[path = "support/mtf_writer.rs"] mod mtf_writer;` and build a [`FixtureSpec`]
//! (`FixtureSpec { backup_type: BackupType::Log, ..FixtureSpec::default() }`), then
//! [`header`] (bytes plus where every block/stream/chunk sits), [`header_bytes`], or [`fake_bak`]
//! (a whole small `.bak`: header, a data block with fake pages, `MSLS`, `SFMB`, `ESET`).
//!
//! Layout written (the doc, "Block order"): `TAPE[RAID,SPAD]` → `SFMB` → `SSET[SPAD]` → `VOLB[SPAD]` →
//! `MSCI[MQCI,SPAD]` → `MSDA` | `MSTL`. Every block with streams is padded by its `SPAD` to a multiple of
//! the format logical block size (observed: TAPE 0, SFMB 1024, SSET 1536, MSCI 3584 for 1024/1×512);
//! `SFMB` is exactly the soft-filemark size.
#![allow(
    dead_code,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use sqlserverflex_restore::mtf::BackupType;

/// Everything the fixture varies. `Default` is a plain full backup of `SalesDb` from SQL Server 2022.
#[derive(Debug, Clone, PartialEq)]
pub struct FixtureSpec {
    pub backup_type: BackupType,
    pub database_name: String,
    pub server_name: String,
    /// SCIN +0x5E (957 = 2022, 904 = 2019, 852 = 2016 …).
    pub database_version: u16,
    pub compatibility_level: u8,
    pub collation_id: u32,
    pub lcid: u32,
    /// SSET backup (set) name.
    pub backup_name: String,
    /// TAPE software name.
    pub software_name: String,
    /// Format logical block size, TAPE @84: 512, 1024, 4096 …; blocks are padded to multiples of it.
    pub block_size: u16,
    /// Soft-filemark size in 512-byte units, TAPE @64: SFMB occupies this × 512 bytes.
    pub soft_filemark_units: u16,
    /// .NET `Guid` byte order, as stored in the RAID stream.
    pub media_set_guid: [u8; 16],
    /// .NET `Guid` byte order, as stored in the SSET OS-specific data.
    pub backup_set_guid: [u8; 16],
    pub family_count: u16,
    pub family_sequence: u16,
    /// Writes a non-empty media password (TAPE @76).
    pub password_protected: bool,
    /// SSET backup start date: (year, month, day, hour, minute, second).
    pub backup_date: (u16, u8, u8, u8, u8, u8),
    /// DBLK strings as ANSI (string type 1) instead of UTF-16 (2). SCIN strings stay UTF-16.
    pub ansi_strings: bool,
    /// Overrides the SSET attributes @52 (default: 0x8 differential, else 0x4).
    pub sset_attributes: Option<u32>,
    /// Extra DBLK attribute bits (@4) on the SSET, e.g. 1 << 17 (MTF_ENCRYPTION).
    pub sset_block_attributes: u32,
}

impl Default for FixtureSpec {
    fn default() -> Self {
        FixtureSpec {
            backup_type: BackupType::Full,
            database_name: "SalesDb".to_owned(),
            server_name: "SQL01\\PROD".to_owned(),
            database_version: 957,
            compatibility_level: 160,
            collation_id: 872_468_488,
            lcid: 1033,
            backup_name: "SalesDb-Full Database Backup".to_owned(),
            software_name: "Microsoft SQL Server".to_owned(),
            block_size: 1024,
            soft_filemark_units: 1,
            media_set_guid: [
                0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
            ],
            backup_set_guid: [
                0x78, 0x56, 0x34, 0x12, 0xbc, 0x9a, 0xf0, 0xde, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
            ],
            family_count: 1,
            family_sequence: 1,
            password_protected: false,
            backup_date: (2024, 5, 17, 13, 45, 30),
            ansi_strings: false,
            sset_attributes: None,
            sset_block_attributes: 0,
        }
    }
}

impl FixtureSpec {
    /// The SQL Server major version that writes `database_version` (SSET software major @93).
    fn software_major(&self) -> u8 {
        match self.database_version {
            957 => 16,
            904 => 15,
            869 => 14,
            852 => 13,
            782 => 12,
            706 => 11,
            661 => 10,
            _ => 99,
        }
    }
}

/// A stream written into a block: its id and the offset of its 22-byte header in the whole file.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamAt {
    pub id: &'static str,
    pub offset: usize,
    pub length: usize,
}

impl StreamAt {
    /// Offset of the stream's data (after the 22-byte header).
    pub fn data(&self) -> usize {
        self.offset + STREAM_HEADER_LEN
    }
}

/// A block written: its type, offset, length (up to the next block) and streams.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockAt {
    pub block_type: &'static str,
    pub offset: usize,
    pub len: usize,
    pub streams: Vec<StreamAt>,
}

/// Bytes plus a map of what was written where, for tests that corrupt one specific field.
#[derive(Debug, Clone)]
pub struct Fixture {
    pub bytes: Vec<u8>,
    pub blocks: Vec<BlockAt>,
    /// Offset of the SCIN chunk (inside the MQCI stream data).
    pub scin: usize,
    /// The first byte after the data block's (`MSDA`/`MSTL`) 52-byte DBLK header: every header field
    /// the parser reads lies before it.
    pub header_end: usize,
}

impl Fixture {
    /// The first block of this type. Panics if absent (test support).
    pub fn block(&self, block_type: &str) -> &BlockAt {
        self.blocks
            .iter()
            .find(|b| b.block_type == block_type)
            .unwrap_or_else(|| panic!("fixture has no {block_type} block"))
    }

    /// The stream `id` of the first `block_type` block. Panics if absent (test support).
    pub fn stream(&self, block_type: &str, id: &str) -> &StreamAt {
        self.block(block_type)
            .streams
            .iter()
            .find(|s| s.id == id)
            .unwrap_or_else(|| panic!("fixture {block_type} has no {id} stream"))
    }
}

pub const DBLK_LEN: usize = 52;
pub const STREAM_HEADER_LEN: usize = 22;
/// SCIN fixed part, up to and including the collation id @0xD8 (the doc).
pub const SCIN_FIXED_LEN: usize = 0xDC;

/// The header of a synthetic backup, through the data block's DBLK header, with its map.
pub fn header(spec: &FixtureSpec) -> Fixture {
    let mut w = Writer::new(spec);
    w.tape();
    w.sfmb();
    w.sset();
    w.volb();
    let scin = w.msci();
    let data_type = if spec.backup_type == BackupType::Log { "MSTL" } else { "MSDA" };
    let data_at = w.out.len();
    let mut block = w.dblk(data_type, DBLK_LEN, 0);
    block.finish_header();
    w.push_block(data_type, block);
    Fixture { bytes: w.out, blocks: w.blocks, scin, header_end: data_at + DBLK_LEN }
}

/// Just the header bytes of [`header`].
pub fn header_bytes(spec: &FixtureSpec) -> Vec<u8> {
    header(spec).bytes
}

/// A whole small fake `.bak`/`.trn`: the header, the data block with `pages` × 8 KiB of fake pages,
/// an `MSLS` trailer with the database information again, a `SFMB` and an `ESET`.
pub fn fake_bak_with_pages(spec: &FixtureSpec, pages: usize) -> Fixture {
    let mut w = Writer::new(spec);
    w.tape();
    w.sfmb();
    w.sset();
    w.volb();
    let scin = w.msci();
    let data_type = if spec.backup_type == BackupType::Log { "MSTL" } else { "MSDA" };
    let data_at = w.out.len();
    let mut block = w.dblk(data_type, DBLK_LEN, 0);
    block.finish_header();
    // The data stream format is SQL Server's own and not described; these are stand-in pages.
    let page_bytes: Vec<u8> = (0..pages * 8192).map(|i| (i % 251) as u8).collect();
    block.stream(if data_type == "MSTL" { "MQTL" } else { "MQDA" }, &page_bytes);
    block.spad(w.block_size());
    w.push_block(data_type, block);

    let mut block = w.dblk("MSLS", DBLK_LEN, 0);
    block.finish_header();
    block.stream("MQCI", &mqci_data(spec).0);
    block.spad(w.block_size());
    w.push_block("MSLS", block);

    w.sfmb();

    let mut block = w.dblk("ESET", 85, 0);
    put_u16(&mut block.buf, 78, 1); // data set number
    put_date(&mut block.buf, 80, spec.backup_date);
    block.finish_header();
    block.spad(w.block_size());
    w.push_block("ESET", block);

    Fixture { bytes: w.out, blocks: w.blocks, scin, header_end: data_at + DBLK_LEN }
}

/// The bytes of a whole small fake `.bak` (4 fake pages).
pub fn fake_bak(spec: &FixtureSpec) -> Vec<u8> {
    fake_bak_with_pages(spec, 4).bytes
}

/// A complete striped set: `count` fake `.bak` files sharing both GUIDs, with family sequence 1..=count.
pub fn striped_set(spec: &FixtureSpec, count: u16) -> Vec<Vec<u8>> {
    (1..=count)
        .map(|family_sequence| fake_bak(&FixtureSpec { family_count: count, family_sequence, ..spec.clone() }))
        .collect()
}

/// A stand-in for a compressed or encrypted backup: `MSSQLBAK` followed by `len - 8` pseudo-random bytes.
pub fn compressed_bak(len: usize) -> Vec<u8> {
    let mut out = b"MSSQLBAK".to_vec();
    let mut rng = XorShift::new(0x5eed);
    while out.len() < len.max(8) {
        out.push(rng.next() as u8);
    }
    out
}

/// The canonical lowercase .NET text form of a GUID stored in .NET byte order.
pub fn guid_text(guid: &[u8; 16]) -> String {
    let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let rev = |bytes: &[u8]| bytes.iter().rev().map(|b| format!("{b:02x}")).collect::<String>();
    format!(
        "{}-{}-{}-{}-{}",
        rev(&guid[0..4]),
        rev(&guid[4..6]),
        rev(&guid[6..8]),
        hex(&guid[8..10]),
        hex(&guid[10..16])
    )
}

/// XOR of the little-endian u16 words of `bytes`.
pub fn xor_words(bytes: &[u8]) -> u16 {
    bytes.chunks_exact(2).fold(0, |acc, w| acc ^ u16::from_le_bytes([w[0], w[1]]))
}

/// Recomputes the DBLK header checksum (@50 = XOR of words 0..49) of the block at `at`.
pub fn fix_dblk_checksum(bytes: &mut [u8], at: usize) {
    let sum = xor_words(&bytes[at..at + 50]);
    put_u16(bytes, at + 50, sum);
}

/// Recomputes the stream header checksum (@20 = XOR of words 0..9) of the stream header at `at`.
pub fn fix_stream_checksum(bytes: &mut [u8], at: usize) {
    let sum = xor_words(&bytes[at..at + 20]);
    put_u16(bytes, at + 20, sum);
}

pub fn put_u16(bytes: &mut [u8], at: usize, value: u16) {
    bytes[at..at + 2].copy_from_slice(&value.to_le_bytes());
}

pub fn put_u32(bytes: &mut [u8], at: usize, value: u32) {
    bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

pub fn put_u64(bytes: &mut [u8], at: usize, value: u64) {
    bytes[at..at + 8].copy_from_slice(&value.to_le_bytes());
}

/// Packs an MTF date (the doc: year 14 bits, month 4, day 5, hour 5, minute 6, second 6, MSB first).
pub fn pack_date((year, month, day, hour, minute, second): (u16, u8, u8, u8, u8, u8)) -> [u8; 5] {
    let bits = (u64::from(year) << 26)
        | (u64::from(month) << 22)
        | (u64::from(day) << 17)
        | (u64::from(hour) << 12)
        | (u64::from(minute) << 6)
        | u64::from(second);
    let be = bits.to_be_bytes();
    [be[3], be[4], be[5], be[6], be[7]]
}

fn put_date(bytes: &mut [u8], at: usize, date: (u16, u8, u8, u8, u8, u8)) {
    bytes[at..at + 5].copy_from_slice(&pack_date(date));
}

fn utf16(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// A tiny deterministic PRNG (xorshift64) for reproducible fixture noise and mutation tests.
#[derive(Debug, Clone)]
pub struct XorShift(u64);

impl XorShift {
    pub fn new(seed: u64) -> Self {
        XorShift(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// Uniform-ish in `0..bound` (`bound > 0`).
    pub fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }
}

/// One DBLK being built: the header and fixed fields, then OS data and strings, then streams.
struct Block {
    buf: Vec<u8>,
}

impl Block {
    /// Appends variable data (OS-specific data or a string) and points the `{size, offset}` pair at
    /// `pointer` to it (offset from the block start).
    fn var(&mut self, pointer: usize, data: &[u8]) {
        if data.is_empty() {
            return;
        }
        let offset = self.buf.len();
        self.buf.extend_from_slice(data);
        put_u16(&mut self.buf, pointer, data.len() as u16);
        put_u16(&mut self.buf, pointer + 2, offset as u16);
    }

    /// Ends the header area: 4-byte aligns, sets the first-stream offset @8 and the checksum @50.
    fn finish_header(&mut self) {
        while !self.buf.len().is_multiple_of(4) {
            self.buf.push(0);
        }
        let first_stream = self.buf.len() as u16;
        put_u16(&mut self.buf, 8, first_stream);
        fix_dblk_checksum(&mut self.buf, 0);
    }

    /// Appends a stream: 22-byte header (checksum = XOR of its first 10 words), data, 4-byte alignment.
    fn stream(&mut self, id: &str, data: &[u8]) {
        let mut header = [0u8; STREAM_HEADER_LEN];
        header[0..4].copy_from_slice(id.as_bytes());
        header[8..16].copy_from_slice(&(data.len() as u64).to_le_bytes());
        fix_stream_checksum(&mut header, 0);
        self.buf.extend_from_slice(&header);
        self.buf.extend_from_slice(data);
        while !self.buf.len().is_multiple_of(4) {
            self.buf.push(0);
        }
    }

    /// The final `SPAD`, padding the block to a multiple of `block_size`.
    fn spad(&mut self, block_size: usize) {
        let used = self.buf.len() + STREAM_HEADER_LEN;
        let pad = (block_size - used % block_size) % block_size;
        self.stream("SPAD", &vec![0; pad]);
        assert_eq!(self.buf.len() % block_size, 0, "SPAD must end the block on a block-size boundary");
    }

    /// Offsets (relative to the block) of the stream headers written so far.
    fn stream_offsets(&self) -> Vec<StreamAt> {
        let mut out = Vec::new();
        let mut at = usize::from(u16::from_le_bytes([self.buf[8], self.buf[9]]));
        while at + STREAM_HEADER_LEN <= self.buf.len() {
            let id = match &self.buf[at..at + 4] {
                b"RAID" => "RAID",
                b"SPAD" => "SPAD",
                b"MQCI" => "MQCI",
                b"MQDA" => "MQDA",
                b"MQTL" => "MQTL",
                _ => "????",
            };
            let length = u64::from_le_bytes(self.buf[at + 8..at + 16].try_into().unwrap()) as usize;
            out.push(StreamAt { id, offset: at, length });
            at = (at + STREAM_HEADER_LEN + length + 3) & !3;
        }
        out
    }
}

struct Writer<'s> {
    spec: &'s FixtureSpec,
    out: Vec<u8>,
    blocks: Vec<BlockAt>,
    control_block_id: u32,
}

impl<'s> Writer<'s> {
    fn new(spec: &'s FixtureSpec) -> Self {
        Writer { spec, out: Vec::new(), blocks: Vec::new(), control_block_id: 0 }
    }

    fn block_size(&self) -> usize {
        usize::from(self.spec.block_size)
    }

    fn string(&self, text: &str) -> Vec<u8> {
        if self.spec.ansi_strings {
            text.chars().map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?')).collect()
        } else {
            utf16(text)
        }
    }

    /// A DBLK common header (the doc, "MTF common block header") followed by `fixed_len - 52` zero bytes
    /// for the block-specific fields.
    fn dblk(&mut self, block_type: &str, fixed_len: usize, attributes: u32) -> Block {
        let mut buf = vec![0u8; fixed_len];
        buf[0..4].copy_from_slice(block_type.as_bytes());
        put_u32(&mut buf, 4, attributes);
        buf[10] = 14; // OS id (arbitrary here)
        buf[11] = 2;
        let lba = (self.out.len() / self.block_size()) as u64;
        put_u64(&mut buf, 20, lba);
        put_u32(&mut buf, 36, self.control_block_id);
        self.control_block_id += 1;
        buf[48] = if self.spec.ansi_strings { 1 } else { 2 };
        Block { buf }
    }

    fn push_block(&mut self, block_type: &'static str, block: Block) {
        let offset = self.out.len();
        let streams = if block_type == "SFMB" {
            Vec::new()
        } else {
            block.stream_offsets().into_iter().map(|s| StreamAt { offset: s.offset + offset, ..s }).collect()
        };
        self.blocks.push(BlockAt { block_type, offset, len: block.buf.len(), streams });
        self.out.extend_from_slice(&block.buf);
    }

    /// TAPE (the doc, "TAPE block") with RAID (the doc, "RAID stream") and SPAD.
    fn tape(&mut self) {
        let spec = self.spec;
        let mut b = self.dblk("TAPE", 94, 0);
        put_u32(&mut b.buf, 52, 0x5151_0001); // media family id
        put_u16(&mut b.buf, 60, 1); // media sequence
        put_u16(&mut b.buf, 64, spec.soft_filemark_units);
        b.var(68, &self.string("SalesDb media"));
        if spec.password_protected {
            // Only the size matters to the parser; the content is a stand-in.
            b.var(76, &[0x5a; 20]);
        }
        b.var(80, &self.string(&spec.software_name));
        put_u16(&mut b.buf, 84, spec.block_size);
        put_u16(&mut b.buf, 86, 0x1200);
        put_date(&mut b.buf, 88, spec.backup_date);
        b.buf[93] = 1; // MTF major version
        b.finish_header();
        let mut raid = [0u8; 32];
        raid[0..16].copy_from_slice(&spec.media_set_guid);
        raid[20..22].copy_from_slice(&spec.family_count.to_le_bytes());
        raid[24..26].copy_from_slice(&spec.family_sequence.to_le_bytes());
        b.stream("RAID", &raid);
        b.spad(self.block_size());
        self.push_block("TAPE", b);
    }

    /// SFMB: no streams, exactly the soft-filemark size.
    fn sfmb(&mut self) {
        let size = usize::from(self.spec.soft_filemark_units) * 512;
        let mut b = self.dblk("SFMB", size.max(64), 0);
        put_u32(&mut b.buf, 52, (size.saturating_sub(60) / 4) as u32); // number of filemark entries
        put_u32(&mut b.buf, 56, 1); // entries used
        put_u32(&mut b.buf, 60, 1); // PBA of the filemark
        fix_dblk_checksum(&mut b.buf, 0);
        self.push_block("SFMB", b);
    }

    /// SSET (the doc, "SSET block"): attributes, names, date, software version, backup-set GUID.
    fn sset(&mut self) {
        let spec = self.spec;
        let mut b = self.dblk("SSET", 98, spec.sset_block_attributes);
        let attributes = spec.sset_attributes.unwrap_or(match spec.backup_type {
            BackupType::Differential => 0x8,
            _ => 0x4,
        });
        put_u32(&mut b.buf, 52, attributes);
        put_u16(&mut b.buf, 60, 0x1200); // software vendor
        put_u16(&mut b.buf, 62, 1); // data set number
        b.var(64, &self.string(&spec.backup_name));
        b.var(68, &self.string("synthetic fixture"));
        b.var(76, &self.string("sa"));
        put_date(&mut b.buf, 88, spec.backup_date);
        b.buf[93] = spec.software_major();
        b.buf[94] = 0;
        b.buf[95] = 4; // time zone, 15-minute units
        let mut os_data = spec.backup_set_guid.to_vec();
        os_data.extend_from_slice(&[0; 16]);
        b.var(44, &os_data);
        b.finish_header();
        b.spad(self.block_size());
        self.push_block("SSET", b);
    }

    fn volb(&mut self) {
        let spec = self.spec;
        let mut b = self.dblk("VOLB", 73, 0);
        b.var(56, &self.string("\\\\.\\backup"));
        b.var(60, &self.string("SalesDb volume"));
        b.var(64, &self.string(&spec.server_name));
        put_date(&mut b.buf, 68, spec.backup_date);
        b.finish_header();
        b.spad(self.block_size());
        self.push_block("VOLB", b);
    }

    /// MSCI with the MQCI stream (SCIN, SFGI, SFIN×2); returns the file offset of SCIN.
    fn msci(&mut self) -> usize {
        let at = self.out.len();
        let mut b = self.dblk("MSCI", DBLK_LEN, 0);
        b.finish_header();
        let (mqci, scin_rel) = mqci_data(self.spec);
        let scin = at + b.buf.len() + STREAM_HEADER_LEN + scin_rel;
        b.stream("MQCI", &mqci);
        b.spad(self.block_size());
        self.push_block("MSCI", b);
        scin
    }
}

/// The MQCI stream data (the doc, "MQCI stream") and the offset of SCIN inside it.
pub fn mqci_data(spec: &FixtureSpec) -> (Vec<u8>, usize) {
    let mut scin = vec![0u8; SCIN_FIXED_LEN];
    scin[0..4].copy_from_slice(b"SCIN");
    scin[0x5B] = spec.compatibility_level;
    put_u16(&mut scin, 0x5E, spec.database_version);
    put_u32(&mut scin, 0x74, spec.lcid);
    put_u32(&mut scin, 0xD8, spec.collation_id);
    for (pointer, text) in [(0x68, &spec.database_name), (0x6C, &spec.server_name)] {
        let data = utf16(text);
        let offset = scin.len();
        scin.extend_from_slice(&data);
        put_u16(&mut scin, pointer, data.len() as u16);
        put_u16(&mut scin, pointer + 2, offset as u16);
    }
    let size = scin.len() as u32;
    put_u32(&mut scin, 4, size);

    let mut out = scin;
    for (tag, len) in [("SFGI", 64usize), ("SFIN", 96), ("SFIN", 96)] {
        let mut chunk = vec![0u8; len];
        chunk[0..4].copy_from_slice(tag.as_bytes());
        put_u32(&mut chunk, 4, len as u32);
        out.extend_from_slice(&chunk);
    }
    (out, 0)
}
