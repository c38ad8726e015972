//! Test support: writes synthetic SQL Server backups (Microsoft Tape Format) from the layout in
//! `src/backup/mtf/backup-format.md`, with correct DBLK and stream checksums.
//!
//! Include it from a test crate with
//! `#[path = "support/mtf_writer.rs"] mod mtf_writer;` and build a [`FixtureSpec`]
//! (`FixtureSpec { backup_type: BackupType::Log, ..FixtureSpec::default() }`), then
//! [`header`] (bytes plus where every block/stream/chunk sits), [`header_bytes`], or [`fake_bak`]
//! (a whole small `.bak`: header, a data block with fake pages, `MSLS`, `SFMB`, `ESET`, `SFMB`).
//! [`multi_set_bak`] appends several backup sets to one file (`BACKUP … WITH NOINIT`), and
//! [`compress_bak`] turns any of these into a compressed `MSSQLBAK` file (LZ77+Huffman records,
//! [`lz77_huffman_encode`]); [`encrypted_like_bak`] is an `MSSQLBAK` file whose record does not decode.
//!
//! Layout written (the doc, "Block order"): `TAPE[RAID,SPAD]` → `SFMB` → `SSET[SPAD]` → `VOLB[SPAD]` →
//! `MSCI[MQCI,SPAD]` → `MSDA` | `MSTL`. Every block with streams is padded by its `SPAD` to a multiple of
//! the format logical block size (observed: TAPE 0, SFMB 1024, SSET 1536, MSCI 3584 for 1024/1×512);
//! `SFMB` is exactly the soft-filemark size and carries the filemark table (the doc, "Several backup
//! sets in one file"): u32@52 capacity, u32@56 entries used, u16@60 = 72, then at 72 the u64 byte
//! offsets of every earlier filemark of the file, newest first.
#![allow(
    dead_code,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use sqlserverflex_restore::backup::mtf::BackupType;

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
    /// The database files, one `SFIN` chunk each (in this order; file ids 1, 2, …).
    pub files: Vec<FixtureFile>,
}

/// One database file as an `SFIN` chunk describes it (`RESTORE FILELISTONLY`).
#[derive(Debug, Clone, PartialEq)]
pub struct FixtureFile {
    pub logical_name: String,
    pub physical_name: String,
    /// The log file (filegroup 0) rather than a data file (filegroup 1, PRIMARY).
    pub log: bool,
    /// Size in bytes; written as bytes (@0x28) and as 8-KiB pages (@0x60), so keep it a multiple of 8192.
    pub size: u64,
}

impl FixtureFile {
    /// A data file of `database`: logical name `<database>`, physical `C:\Data\<database>.mdf`.
    pub fn data(database: &str, size: u64) -> Self {
        FixtureFile {
            logical_name: database.to_owned(),
            physical_name: format!("C:\\Data\\{database}.mdf"),
            log: false,
            size,
        }
    }

    /// A log file of `database`: logical name `<database>_log`, physical `C:\Data\<database>_log.ldf`.
    pub fn log(database: &str, size: u64) -> Self {
        FixtureFile {
            logical_name: format!("{database}_log"),
            physical_name: format!("C:\\Data\\{database}_log.ldf"),
            log: true,
            size,
        }
    }
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
            files: vec![FixtureFile::data("SalesDb", 100 << 20), FixtureFile::log("SalesDb", 8 << 20)],
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
    /// Offsets of the `SFMB` blocks, oldest first.
    pub fn filemark_offsets(&self) -> Vec<usize> {
        self.blocks.iter().filter(|b| b.block_type == "SFMB").map(|b| b.offset).collect()
    }

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
    w.sset(1);
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
/// an `MSLS` trailer with the database information again, a `SFMB`, an `ESET` and the final `SFMB`
/// (the doc: the last block of a plain backup is an `SFMB` listing the earlier filemarks).
pub fn fake_bak_with_pages(spec: &FixtureSpec, pages: usize) -> Fixture {
    let mut w = Writer::new(spec);
    w.tape();
    w.sfmb();
    let set = w.backup_set(1, pages);
    w.sfmb();
    Fixture { bytes: w.out, blocks: w.blocks, scin: set.scin, header_end: set.header_end }
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

/// A file holding several backup sets ([`multi_set_bak`]) and where they sit.
#[derive(Debug, Clone)]
pub struct MultiSetFixture {
    pub bytes: Vec<u8>,
    pub blocks: Vec<BlockAt>,
    /// Where each set's `SSET` block starts (set 1 first).
    pub sset_offsets: Vec<usize>,
    /// Where each `SFMB` block starts, oldest first: 2 × sets + 1 of them.
    pub filemark_offsets: Vec<usize>,
    /// The soft-filemark (`SFMB`) block size in bytes.
    pub filemark_size: usize,
}

/// Several backup sets appended to one file, as `BACKUP … WITH NOINIT` writes them: one
/// `TAPE` + `SFMB` (from `specs[0]`'s media facts), then per spec `SSET`, `VOLB`, `MSCI`, the data
/// block (`pages` fake pages), `MSLS`, `SFMB`, `ESET`, `SFMB`. Set k ≥ 2 begins right after the
/// previous set's trailing `SFMB`. Each spec's set facts (type, database, date, backup-set GUID …) are
/// its own; the media facts (block size, filemark size, string type, media GUID, family) are
/// `specs[0]`'s, since the sets share one media.
pub fn multi_set_bak(specs: &[FixtureSpec], pages: usize) -> MultiSetFixture {
    assert!(!specs.is_empty(), "multi_set_bak needs at least one spec");
    let media = &specs[0];
    let specs: Vec<FixtureSpec> = specs
        .iter()
        .map(|spec| FixtureSpec {
            block_size: media.block_size,
            soft_filemark_units: media.soft_filemark_units,
            ansi_strings: media.ansi_strings,
            media_set_guid: media.media_set_guid,
            family_count: media.family_count,
            family_sequence: media.family_sequence,
            password_protected: media.password_protected,
            software_name: media.software_name.clone(),
            ..spec.clone()
        })
        .collect();
    let mut w = Writer::new(&specs[0]);
    w.tape();
    w.sfmb();
    let mut sset_offsets = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        w.spec = spec;
        sset_offsets.push(w.out.len());
        w.backup_set(i as u16 + 1, pages);
        w.sfmb();
    }
    let filemark_size = w.filemark_size();
    MultiSetFixture { bytes: w.out, blocks: w.blocks, sset_offsets, filemark_offsets: w.filemarks, filemark_size }
}

/// A stand-in for an unreadable `MSSQLBAK` file: the magic followed by `len - 8` pseudo-random bytes
/// (no valid file header, no records). See [`compress_bak`] for a readable compressed backup and
/// [`encrypted_like_bak`] for one with a well-formed record that does not decode.
pub fn compressed_bak(len: usize) -> Vec<u8> {
    let mut out = b"MSSQLBAK".to_vec();
    let mut rng = XorShift::new(0x5eed);
    while out.len() < len.max(8) {
        out.push(rng.next() as u8);
    }
    out
}

/// A stand-in for an encrypted backup: a valid 480-byte `MSSQLBAK` file header, then one data record
/// with a well-formed 0x21 tag (1 KiB decoded) whose payload does not decode — a 256-byte code-length
/// table of 0x11 (every symbol 1 bit long: over-subscribed) followed by pseudo-random bytes — padded
/// with pseudo-random bytes to `len` (at least header + record: 480 + 28 + 256 + 256 bytes).
pub fn encrypted_like_bak(len: usize) -> Vec<u8> {
    let mut out = compressed_file_header();
    let mut rng = XorShift::new(0xe4c7);
    let payload_len = len.saturating_sub(COMPRESSED_HEADER_LEN + DATA_RECORD_HEADER_LEN).clamp(512, 0xFFFF);
    let mut payload = vec![0x11u8; 256];
    while payload.len() < payload_len {
        payload.push(rng.next() as u8);
    }
    out.extend_from_slice(&data_record_header(1024, payload.len()));
    out.extend_from_slice(&payload);
    while out.len() < len {
        out.push(rng.next() as u8);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Compressed backups (the doc, "Compressed backups").

/// The `MSSQLBAK` file header length; records start here.
pub const COMPRESSED_HEADER_LEN: usize = 0x1E0;
/// Record headers: data (tag + 24 bytes), padding and end (tag + 20 bytes).
pub const DATA_RECORD_HEADER_LEN: usize = 28;
pub const PADDING_RECORD_HEADER_LEN: usize = 24;
pub const END_RECORD_HEADER_LEN: usize = 24;
/// The largest decoded size of one data record (tag bits 8–15 = 0x80).
pub const MAX_RECORD_DECODED: usize = 64 * 1024;

/// One record of a compressed file written by [`compress_bak_with_map`].
#[derive(Debug, Clone, PartialEq)]
pub enum RecordAt {
    /// An LZ77+Huffman data record at `offset` holding `decoded` bytes of the plain stream from
    /// `plain_offset`; `payload` coded bytes follow its 28-byte header.
    Data { offset: usize, plain_offset: usize, decoded: usize, payload: usize },
    /// A padding record at `offset` with `payload` zero bytes after its 24-byte header.
    Padding { offset: usize, payload: usize },
    /// A raw `SFMB` block at `offset` (`plain_offset` in the plain stream).
    Filemark { offset: usize, plain_offset: usize },
    /// The end record.
    End { offset: usize },
}

/// A compressed backup and where its parts sit.
#[derive(Debug, Clone)]
pub struct CompressedFixture {
    pub bytes: Vec<u8>,
    pub records: Vec<RecordAt>,
    /// File offsets of the raw `SFMB` blocks, oldest first (what their filemark tables list).
    pub filemark_offsets: Vec<usize>,
    /// Soft-filemark block size in bytes (from the plain stream's `TAPE`).
    pub filemark_size: usize,
    /// For each backup set k (1-based), the offset of the first record after filemark 2k − 1: the
    /// record that starts with its `SSET` (= that filemark's offset + the filemark size).
    pub set_record_offsets: Vec<usize>,
}

/// [`compress_bak_with_map`]'s bytes.
pub fn compress_bak(plain: &[u8], block_size: usize) -> Vec<u8> {
    compress_bak_with_map(plain, block_size).bytes
}

/// Turns a plain MTF backup (one written above, starting with `TAPE`) into a compressed `MSSQLBAK`
/// file as the doc describes: the 480-byte file header (`MSSQLBAK`, u32@8 = 2, u32@12 = 3, the rest
/// zero), then from 0x1E0 the plain stream split at its `SFMB` blocks. The bytes between filemarks are
/// data records (tag 0x21, 28-byte header, at most 64 KiB decoded, payload = [`lz77_huffman_encode`]);
/// the first record holds exactly what precedes the first `SFMB` (the `TAPE` block). Each `SFMB` is
/// written raw at a file offset that is a multiple of `block_size` (which must be a multiple of the
/// filemark size; pass the filemark size as SQL Server does), preceded by a padding record (tag 0x24,
/// 24-byte header, zero payload) filling exactly to that boundary — to the following boundary if the
/// gap is under 24 bytes, and none when the previous record already ends on it. Its filemark table is
/// rewritten to the compressed file's offsets of the earlier `SFMB`s. An end record (tag 0x2C) follows
/// the last data record of the file, so a file ending in an `SFMB` still ends with it.
pub fn compress_bak_with_map(plain: &[u8], block_size: usize) -> CompressedFixture {
    assert!(plain.starts_with(b"TAPE"), "compress_bak needs a plain backup starting with TAPE");
    let filemark_size = usize::from(u16::from_le_bytes([plain[64], plain[65]])) * 512;
    assert!(filemark_size > 0, "TAPE @64 gives no soft-filemark size");
    assert!(
        block_size > 0 && block_size.is_multiple_of(filemark_size),
        "block_size {block_size} must be a multiple of the filemark size {filemark_size}"
    );
    let pieces = split_at_filemarks(plain, filemark_size);
    let last_data = pieces.iter().rposition(|p| !p.filemark);

    let mut out = compressed_file_header();
    let mut records = Vec::new();
    let mut filemark_offsets: Vec<usize> = Vec::new();
    let mut set_record_offsets = Vec::new();
    let mut first_data = true;
    for (index, piece) in pieces.iter().enumerate() {
        if piece.filemark {
            pad_to_boundary(&mut out, &mut records, block_size);
            let offset = out.len();
            let mut block = plain[piece.start..piece.end].to_vec();
            write_filemark_table(&mut block, &filemark_offsets);
            out.extend_from_slice(&block);
            records.push(RecordAt::Filemark { offset, plain_offset: piece.start });
            filemark_offsets.push(offset);
            // Filemarks 1, 3, 5 … (1-based) are followed by a set's SSET.
            if filemark_offsets.len() % 2 == 1 && plain[piece.end..].starts_with(b"SSET") {
                set_record_offsets.push(out.len());
            }
            continue;
        }
        let mut at = piece.start;
        while at < piece.end {
            let want = if first_data { piece.end - at } else { (piece.end - at).min(MAX_RECORD_DECODED) };
            let (decoded, payload) = encode_record(&plain[at..at + want.min(MAX_RECORD_DECODED)]);
            first_data = false;
            records.push(RecordAt::Data { offset: out.len(), plain_offset: at, decoded, payload: payload.len() });
            out.extend_from_slice(&data_record_header(decoded, payload.len()));
            out.extend_from_slice(&payload);
            at += decoded;
        }
        if Some(index) == last_data {
            records.push(RecordAt::End { offset: out.len() });
            let mut end = vec![0u8; END_RECORD_HEADER_LEN];
            put_u32(&mut end, 0, 0x2C);
            out.extend_from_slice(&end);
        }
    }
    CompressedFixture { bytes: out, records, filemark_offsets, filemark_size, set_record_offsets }
}

/// The 480-byte `MSSQLBAK` file header: magic, u32@8 = 2, u32@12 = 3, the rest zero.
fn compressed_file_header() -> Vec<u8> {
    let mut header = vec![0u8; COMPRESSED_HEADER_LEN];
    header[0..8].copy_from_slice(b"MSSQLBAK");
    put_u32(&mut header, 8, 2);
    put_u32(&mut header, 12, 3);
    header
}

/// A data record header: tag (0x21, decoded size / 512, payload length), then 24 zero bytes.
fn data_record_header(decoded: usize, payload: usize) -> Vec<u8> {
    assert!(decoded > 0 && decoded <= MAX_RECORD_DECODED && decoded.is_multiple_of(512), "decoded size {decoded}");
    assert!(payload <= 0xFFFF, "payload {payload} does not fit the tag");
    let mut header = vec![0u8; DATA_RECORD_HEADER_LEN];
    put_u32(&mut header, 0, 0x21 | ((decoded / 512) as u32) << 8 | (payload as u32) << 16);
    header
}

/// Encodes a prefix of `data` (a multiple of 512 bytes) whose payload fits the tag's 16 bits: all of it
/// when it compresses, else shorter (random data grows by 9/8 under the fixed 9-bit code).
fn encode_record(data: &[u8]) -> (usize, Vec<u8>) {
    assert!(data.len().is_multiple_of(512), "record data of {} bytes is not a multiple of 512", data.len());
    let mut len = data.len();
    loop {
        let payload = lz77_huffman_encode(&data[..len]);
        if payload.len() <= 0xFFFF {
            return (len, payload);
        }
        len -= 4096.min(len - 512);
    }
}

/// Pads `out` with a padding record up to the next multiple of `boundary` (the following one if the
/// gap cannot hold the 24-byte header); nothing if `out` already ends on a boundary.
fn pad_to_boundary(out: &mut Vec<u8>, records: &mut Vec<RecordAt>, boundary: usize) {
    let at = out.len();
    let mut target = at.next_multiple_of(boundary);
    if target == at {
        return;
    }
    if target - at < PADDING_RECORD_HEADER_LEN {
        target += boundary;
    }
    let payload = target - at - PADDING_RECORD_HEADER_LEN;
    assert!(payload <= 0xFFFF, "padding of {payload} bytes does not fit the tag");
    records.push(RecordAt::Padding { offset: at, payload });
    let mut header = vec![0u8; PADDING_RECORD_HEADER_LEN];
    put_u32(&mut header, 0, 0x24 | (payload as u32) << 16);
    out.extend_from_slice(&header);
    out.resize(target, 0);
}

/// A run of the plain stream: one `SFMB` block, or the bytes between two of them.
struct Piece {
    start: usize,
    end: usize,
    filemark: bool,
}

/// Splits a plain stream at its `SFMB` blocks by walking the block chain (after each block's `SPAD`/
/// `APAD` stream; `SFMB` = the filemark size). What cannot be walked stays one data piece.
fn split_at_filemarks(plain: &[u8], filemark_size: usize) -> Vec<Piece> {
    let mut pieces: Vec<Piece> = Vec::new();
    let mut push = |start: usize, end: usize, filemark: bool| match pieces.last_mut() {
        Some(last) if !filemark && !last.filemark && last.end == start => last.end = end,
        _ => pieces.push(Piece { start, end, filemark }),
    };
    let mut at = 0;
    while at < plain.len() {
        let end = if plain[at..].starts_with(b"SFMB") {
            Some(at + filemark_size).filter(|end| *end <= plain.len())
        } else {
            block_end(plain, at)
        };
        match end {
            Some(end) => {
                push(at, end, plain[at..].starts_with(b"SFMB"));
                at = end;
            }
            None => {
                push(at, plain.len(), false);
                break;
            }
        }
    }
    pieces
}

/// The end of the block at `at`: after its `SPAD`/`APAD` stream's data.
fn block_end(plain: &[u8], at: usize) -> Option<usize> {
    let first = usize::from(u16::from_le_bytes(plain.get(at + 8..at + 10)?.try_into().ok()?));
    if first < DBLK_LEN {
        return None;
    }
    let mut stream = at + first;
    loop {
        let header = plain.get(stream..stream + STREAM_HEADER_LEN)?;
        let length = usize::try_from(u64::from_le_bytes(header[8..16].try_into().ok()?)).ok()?;
        let next = (stream + STREAM_HEADER_LEN + length + 3) & !3;
        if &header[0..4] == b"SPAD" || &header[0..4] == b"APAD" {
            return Some((stream + STREAM_HEADER_LEN + length).min(plain.len()));
        }
        stream = next;
    }
}

/// Writes the filemark table of the `SFMB` block `block` (the doc, "Several backup sets in one file"):
/// u32@52 capacity ((size − 72) / 8), u32@56 entries used, u16@60 = 72, then at 72 the u64 offsets of
/// the `earlier` filemarks (oldest first in the argument) newest first; fixes the DBLK checksum.
pub fn write_filemark_table(block: &mut [u8], earlier: &[usize]) {
    let capacity = (block.len() - FILEMARK_TABLE_AT) / 8;
    assert!(earlier.len() <= capacity, "{} filemarks do not fit an SFMB of {} bytes", earlier.len(), block.len());
    block[52..].fill(0);
    put_u32(block, 52, capacity as u32);
    put_u32(block, 56, earlier.len() as u32);
    put_u16(block, 60, FILEMARK_TABLE_AT as u16);
    for (i, offset) in earlier.iter().rev().enumerate() {
        put_u64(block, FILEMARK_TABLE_AT + 8 * i, *offset as u64);
    }
    fix_dblk_checksum(block, 0);
}

/// Reads the filemark table of the `SFMB` block at `at` (test support): the listed offsets, newest first.
pub fn read_filemark_table(bytes: &[u8], at: usize) -> Vec<u64> {
    assert_eq!(&bytes[at..at + 4], b"SFMB", "no SFMB at {at}");
    let used = u32::from_le_bytes(bytes[at + 56..at + 60].try_into().unwrap()) as usize;
    let array = usize::from(u16::from_le_bytes([bytes[at + 60], bytes[at + 61]]));
    (0..used)
        .map(|i| u64::from_le_bytes(bytes[at + array + 8 * i..at + array + 8 * i + 8].try_into().unwrap()))
        .collect()
}

/// Where the filemark array starts in an `SFMB` block (72 in every file seen).
pub const FILEMARK_TABLE_AT: usize = 72;

// ---------------------------------------------------------------------------------------------
// LZ77+Huffman ([MS-XCA] 2.2) encoder with a fixed code: all 512 symbols 9 bits long.

/// Encodes `data` as one [MS-XCA] LZ77+Huffman stream with a fixed code (code-length table = 256 bytes
/// of 0x99, so symbol s has the 9-bit code s) and greedy LZ77 matching (offsets 1..=65535, lengths ≥ 3,
/// hash chains). Bits are packed MSB first into 16-bit little-endian words, interleaved with the raw
/// bytes of long match lengths exactly where the decoder (`src/backup/mtf/lz77_huffman.rs`) reads them: after
/// C bits it holds max(2, ⌈C/16⌉ + 1) words, and raw bytes follow the words loaded so far.
pub fn lz77_huffman_encode(data: &[u8]) -> Vec<u8> {
    const MIN_MATCH: usize = 3;
    const MAX_OFFSET: usize = 65_535;
    const HASH_BITS: u32 = 15;
    const MAX_CHAIN: usize = 48;
    const NONE: usize = usize::MAX;

    let mut bits = BitWriter::new();
    let hash = |at: usize| -> usize {
        let v = u32::from(data[at]) | u32::from(data[at + 1]) << 8 | u32::from(data[at + 2]) << 16;
        (v.wrapping_mul(0x9E37_79B1) >> (32 - HASH_BITS)) as usize
    };
    let mut head = vec![NONE; 1 << HASH_BITS];
    let mut prev = vec![NONE; data.len()];
    let insert = |at: usize, head: &mut [usize], prev: &mut [usize]| {
        if at + MIN_MATCH <= data.len() {
            let h = hash(at);
            prev[at] = head[h];
            head[h] = at;
        }
    };

    let mut at = 0;
    while at < data.len() {
        let mut best_len = 0;
        let mut best_offset = 0;
        if at + MIN_MATCH <= data.len() {
            let mut candidate = head[hash(at)];
            let mut chain = 0;
            while candidate != NONE && at - candidate <= MAX_OFFSET && chain < MAX_CHAIN {
                let len = data[candidate..].iter().zip(&data[at..]).take_while(|(a, b)| a == b).count();
                if len > best_len {
                    best_len = len;
                    best_offset = at - candidate;
                    if at + len == data.len() {
                        break;
                    }
                }
                candidate = prev[candidate];
                chain += 1;
            }
        }
        if best_len >= MIN_MATCH {
            bits.write_match(best_len, best_offset);
            for p in at..at + best_len {
                insert(p, &mut head, &mut prev);
            }
            at += best_len;
        } else {
            bits.write_symbol(u16::from(data[at]));
            insert(at, &mut head, &mut prev);
            at += 1;
        }
    }
    bits.finish()
}

/// The output of [`lz77_huffman_encode`]: the table, then word slots and raw bytes in reading order.
struct BitWriter {
    out: Vec<u8>,
    /// Byte position in `out` of each reserved 16-bit word slot.
    slots: Vec<usize>,
    /// Bits written so far (the decoder's bits consumed).
    bits: usize,
}

impl BitWriter {
    fn new() -> Self {
        let mut writer = BitWriter { out: vec![0x99; 256], slots: Vec::new(), bits: 0 };
        writer.reserve();
        writer
    }

    /// Reserves word slots up to what the decoder holds after `bits` bits: max(2, ⌈bits/16⌉ + 1).
    fn reserve(&mut self) {
        let words = 2.max(self.bits.div_ceil(16) + 1);
        while self.slots.len() < words {
            self.slots.push(self.out.len());
            self.out.extend_from_slice(&[0, 0]);
        }
    }

    /// Writes `count` (≤ 16) bits of `value`, MSB first, then reserves the slots the decoder then holds.
    fn write_bits(&mut self, value: u32, count: u32) {
        for i in (0..count).rev() {
            if (value >> i) & 1 == 1 {
                let slot = self.slots[self.bits / 16];
                let word = u16::from_le_bytes([self.out[slot], self.out[slot + 1]]) | 1 << (15 - self.bits % 16);
                self.out[slot..slot + 2].copy_from_slice(&word.to_le_bytes());
            }
            self.bits += 1;
        }
        self.reserve();
    }

    fn write_symbol(&mut self, symbol: u16) {
        self.write_bits(u32::from(symbol), 9);
    }

    fn write_match(&mut self, len: usize, offset: usize) {
        assert!(len >= 3 && (1..=65_535).contains(&offset));
        let offset_bits = usize::BITS - 1 - offset.leading_zeros();
        let extra = len - 3;
        self.write_symbol(256 + (offset_bits as u16) * 16 + extra.min(15) as u16);
        if extra >= 15 {
            if extra - 15 < 255 {
                self.out.push((extra - 15) as u8);
            } else {
                self.out.push(255);
                match u16::try_from(extra) {
                    Ok(short) => self.out.extend_from_slice(&short.to_le_bytes()),
                    Err(_) => {
                        self.out.extend_from_slice(&[0, 0]);
                        self.out.extend_from_slice(&(extra as u32).to_le_bytes());
                    }
                }
            }
        }
        self.write_bits((offset - (1 << offset_bits)) as u32, offset_bits);
    }

    fn finish(mut self) -> Vec<u8> {
        self.reserve();
        self.out
    }
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
    /// Offsets of the SFMB blocks written so far, oldest first.
    filemarks: Vec<usize>,
}

/// Where a backup set's SCIN chunk and data-block header end lie.
struct SetAt {
    scin: usize,
    header_end: usize,
}

impl<'s> Writer<'s> {
    fn new(spec: &'s FixtureSpec) -> Self {
        Writer { spec, out: Vec::new(), blocks: Vec::new(), control_block_id: 0, filemarks: Vec::new() }
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

    fn filemark_size(&self) -> usize {
        usize::from(self.spec.soft_filemark_units) * 512
    }

    /// SFMB: no streams, exactly the soft-filemark size; its table lists every earlier filemark.
    fn sfmb(&mut self) {
        let size = self.filemark_size();
        assert!(size >= 512, "soft_filemark_units must be at least 1");
        let offset = self.out.len();
        let mut b = self.dblk("SFMB", size, 0);
        // Real SFMBs point their first-stream offset at their end: there are no streams.
        put_u16(&mut b.buf, 8, size as u16);
        write_filemark_table(&mut b.buf, &self.filemarks);
        self.push_block("SFMB", b);
        self.filemarks.push(offset);
    }

    /// One backup set from its SSET to its ESET (without the trailing SFMB): `SSET`, `VOLB`, `MSCI`,
    /// the data block with `pages` fake pages, `MSLS`, `SFMB`, `ESET`.
    fn backup_set(&mut self, set_number: u16, pages: usize) -> SetAt {
        let spec = self.spec;
        self.sset(set_number);
        self.volb();
        let scin = self.msci();
        let data_type = if spec.backup_type == BackupType::Log { "MSTL" } else { "MSDA" };
        let data_at = self.out.len();
        let mut block = self.dblk(data_type, DBLK_LEN, 0);
        block.finish_header();
        // The data stream format is SQL Server's own and not described; these are stand-in pages.
        let page_bytes: Vec<u8> = (0..pages * 8192).map(|i| (i % 251) as u8).collect();
        block.stream(if data_type == "MSTL" { "MQTL" } else { "MQDA" }, &page_bytes);
        block.spad(self.block_size());
        self.push_block(data_type, block);

        let mut block = self.dblk("MSLS", DBLK_LEN, 0);
        block.finish_header();
        block.stream("MQCI", &mqci_data(spec).0);
        block.spad(self.block_size());
        self.push_block("MSLS", block);

        self.sfmb();

        let mut block = self.dblk("ESET", 85, 0);
        put_u16(&mut block.buf, 78, set_number); // data set number
        put_date(&mut block.buf, 80, spec.backup_date);
        block.finish_header();
        block.spad(self.block_size());
        self.push_block("ESET", block);
        SetAt { scin, header_end: data_at + DBLK_LEN }
    }

    /// SSET (the doc, "SSET block"): attributes, names, date, software version, backup-set GUID.
    fn sset(&mut self, set_number: u16) {
        let spec = self.spec;
        let mut b = self.dblk("SSET", 98, spec.sset_block_attributes);
        let attributes = spec.sset_attributes.unwrap_or(match spec.backup_type {
            BackupType::Differential => 0x8,
            _ => 0x4,
        });
        put_u32(&mut b.buf, 52, attributes);
        put_u16(&mut b.buf, 60, 0x1200); // software vendor
        put_u16(&mut b.buf, 62, set_number); // data set number
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

/// The MQCI stream data (the doc, "MQCI stream") and the offset of SCIN inside it: SCIN, SFGI, then
/// one SFIN per `spec.files` entry ([`sfin_chunk`]).
pub fn mqci_data(spec: &FixtureSpec) -> (Vec<u8>, usize) {
    let mut scin = vec![0u8; SCIN_FIXED_LEN];
    scin[0..4].copy_from_slice(b"SCIN");
    scin[0x5B] = spec.compatibility_level;
    put_u16(&mut scin, 0x5E, spec.database_version);
    put_u32(&mut scin, 0x74, spec.lcid);
    put_u32(&mut scin, 0xD8, spec.collation_id);
    append_chunk_strings(&mut scin, &[(0x68, &spec.database_name), (0x6C, &spec.server_name)]);

    let mut out = scin;
    let mut sfgi = vec![0u8; 64];
    sfgi[0..4].copy_from_slice(b"SFGI");
    put_u32(&mut sfgi, 4, 64);
    out.extend_from_slice(&sfgi);
    for (i, file) in spec.files.iter().enumerate() {
        out.extend_from_slice(&sfin_chunk(file, i as u32 + 1));
    }
    (out, 0)
}

/// The fixed part of an `SFIN` chunk, before its strings.
pub const SFIN_FIXED_LEN: usize = 0x400;
/// Growth written into every SFIN (u32@0x10, pages): 64 MB, SQL Server 2016's default.
pub const SFIN_GROWTH_PAGES: u32 = 8192;
/// Max size written into SFIN (u64@0x56, bytes): data "unlimited" = 2^32 − 1 pages, log 2 TB
/// (SQL Server 2016's defaults, as read from a real backup).
pub const SFIN_DATA_MAX_BYTES: u64 = 0xFFFF_FFFF * 8192;
pub const SFIN_LOG_MAX_BYTES: u64 = 2 << 40;

/// One `SFIN` chunk (a database file), with the layout established on a real SQL Server 2016 backup
/// (offsets from the chunk start): u32@4 chunk size (everything), u32@0x10 growth in pages, u32@0x14
/// file id, u32@0x24 filegroup id (0 log, 1 PRIMARY), u64@0x28 size in bytes, {u16 size, u16 offset}
/// @0x30 logical name and @0x34 physical name (UTF-16LE, offset from the chunk start), u64@0x56
/// (unaligned) max size in bytes, u32@0x60 size in 8-KiB pages. The fixed part is 0x400 bytes; the
/// strings follow it.
pub fn sfin_chunk(file: &FixtureFile, file_id: u32) -> Vec<u8> {
    let mut chunk = vec![0u8; SFIN_FIXED_LEN];
    chunk[0..4].copy_from_slice(b"SFIN");
    put_u32(&mut chunk, 0x10, SFIN_GROWTH_PAGES);
    put_u32(&mut chunk, 0x14, file_id);
    put_u32(&mut chunk, 0x24, if file.log { 0 } else { 1 });
    put_u64(&mut chunk, 0x28, file.size);
    put_u64(&mut chunk, 0x56, if file.log { SFIN_LOG_MAX_BYTES } else { SFIN_DATA_MAX_BYTES });
    put_u32(&mut chunk, 0x60, (file.size / 8192) as u32);
    append_chunk_strings(&mut chunk, &[(0x30, &file.logical_name), (0x34, &file.physical_name)]);
    chunk
}

/// Appends UTF-16LE strings to an MQCI chunk, pointing each `{u16 size, u16 offset}` at `pointer` to its
/// text (offset from the chunk start), then sets the chunk's size (u32@4) to include them.
fn append_chunk_strings(chunk: &mut Vec<u8>, strings: &[(usize, &String)]) {
    for (pointer, text) in strings {
        let data = utf16(text);
        let offset = chunk.len();
        chunk.extend_from_slice(&data);
        put_u16(chunk, *pointer, data.len() as u16);
        put_u16(chunk, pointer + 2, offset as u16);
    }
    let size = chunk.len() as u32;
    put_u32(chunk, 4, size);
}
