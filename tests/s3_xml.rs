#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]
//! S3 XML bodies: ListObjectsV2 pages shaped like the S3 API reference's examples, truncated pages
//! with continuation tokens, keys with entities and non-ASCII characters, empty listings, error
//! bodies from AWS and Ceph-style servers, and robustness: no input makes the reader panic.

use sqlserverflex_restore::s3::xml::{
    parse_document, parse_error_body, parse_list_objects_v2, unquote_etag, ErrorBody, ListBucketResult, ListedObject,
    S3XmlError, XmlErrorCode,
};

/// The shape of the S3 API reference's ListObjectsV2 example response.
const AWS_EXAMPLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
    <Name>bucket</Name>
    <Prefix/>
    <KeyCount>2</KeyCount>
    <MaxKeys>1000</MaxKeys>
    <IsTruncated>false</IsTruncated>
    <Contents>
        <Key>my-image.jpg</Key>
        <LastModified>2009-10-12T17:50:30.000Z</LastModified>
        <ETag>&quot;fba9dede5f27731c9771645a39863328&quot;</ETag>
        <Size>434234</Size>
        <StorageClass>STANDARD</StorageClass>
    </Contents>
    <Contents>
        <Key>my-third-image.jpg</Key>
        <LastModified>2009-10-12T17:50:30.000Z</LastModified>
        <ETag>"1b2cf535f27731c974343645a3985328"</ETag>
        <Size>64994</Size>
        <StorageClass>STANDARD_IA</StorageClass>
    </Contents>
</ListBucketResult>
"#;

fn object(key: &str, size: u64, etag: &str) -> ListedObject {
    ListedObject {
        key: key.to_owned(),
        size,
        etag: Some(etag.to_owned()),
        last_modified: Some("2009-10-12T17:50:30.000Z".to_owned()),
        storage_class: None,
    }
}

#[test]
fn reads_the_documented_list_objects_v2_example() {
    let page = parse_list_objects_v2(AWS_EXAMPLE).unwrap();
    assert_eq!(
        page,
        ListBucketResult {
            name: Some("bucket".to_owned()),
            prefix: Some(String::new()),
            key_count: Some(2),
            max_keys: Some(1000),
            is_truncated: false,
            continuation_token: None,
            next_continuation_token: None,
            contents: vec![
                ListedObject {
                    storage_class: Some("STANDARD".to_owned()),
                    ..object("my-image.jpg", 434_234, "fba9dede5f27731c9771645a39863328")
                },
                ListedObject {
                    storage_class: Some("STANDARD_IA".to_owned()),
                    ..object("my-third-image.jpg", 64_994, "1b2cf535f27731c974343645a3985328")
                },
            ],
            common_prefixes: vec![],
        }
    );
    let json = serde_json::to_value(&page).unwrap();
    assert_eq!(json["keyCount"], 2);
    assert_eq!(json["isTruncated"], false);
    assert_eq!(json["contents"][0]["lastModified"], "2009-10-12T17:50:30.000Z");
    assert_eq!(json["contents"][1]["storageClass"], "STANDARD_IA");
    assert!(json.get("nextContinuationToken").is_none());
}

#[test]
fn reads_truncated_pages_and_their_continuation_tokens() {
    let first = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>backups</Name><Prefix>sql/</Prefix>
<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken><KeyCount>1</KeyCount>
<MaxKeys>1</MaxKeys><IsTruncated>true</IsTruncated><Contents><Key>sql/db1.bak</Key>
<LastModified>2009-10-12T17:50:30.000Z</LastModified><ETag>"a-2"</ETag><Size>10485760</Size></Contents>
</ListBucketResult>"#;
    let page = parse_list_objects_v2(first).unwrap();
    assert!(page.is_truncated);
    assert_eq!(page.next_continuation_token.as_deref(), Some("1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="));
    assert_eq!(page.contents, vec![object("sql/db1.bak", 10_485_760, "a-2")]);

    let second = r#"<ListBucketResult><Name>backups</Name><Prefix>sql/</Prefix>
<ContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</ContinuationToken><KeyCount>1</KeyCount>
<MaxKeys>1</MaxKeys><IsTruncated>false</IsTruncated><Contents><Key>sql/db2.bak</Key><Size>0</Size></Contents>
</ListBucketResult>"#;
    let page = parse_list_objects_v2(second).unwrap();
    assert!(!page.is_truncated);
    assert_eq!(page.continuation_token.as_deref(), Some("1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="));
    assert_eq!(page.next_continuation_token, None);
    assert_eq!(page.contents[0].etag, None);
    assert_eq!(page.contents[0].size, 0);
}

#[test]
fn keys_keep_entities_unicode_and_white_space() {
    let xml = "<ListBucketResult><IsTruncated>false</IsTruncated>\
        <Contents><Key>a &amp; b/&lt;x&gt; &quot;q&quot; &apos;s&apos;.bak</Key><Size>1</Size></Contents>\
        <Contents><Key>Datenbank/Übersicht – 東京 &#x1F4BE;&#233;.bak</Key><Size>2</Size></Contents>\
        <Contents><Key> leading and trailing </Key><Size> 3 </Size></Contents>\
        <Contents><Key><![CDATA[cdata <&> key]]></Key><Size>4</Size></Contents>\
        </ListBucketResult>";
    let keys: Vec<String> = parse_list_objects_v2(xml).unwrap().contents.into_iter().map(|c| c.key).collect();
    assert_eq!(
        keys,
        ["a & b/<x> \"q\" 's'.bak", "Datenbank/Übersicht – 東京 💾é.bak", " leading and trailing ", "cdata <&> key"]
    );
}

#[test]
fn reads_empty_listings_and_common_prefixes() {
    let empty = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>none/</Prefix>
<KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>"#;
    let page = parse_list_objects_v2(empty).unwrap();
    assert_eq!(page.key_count, Some(0));
    assert!(page.contents.is_empty() && page.common_prefixes.is_empty());

    let minimal = parse_list_objects_v2("<ListBucketResult/>").unwrap();
    assert_eq!(minimal, ListBucketResult::default());

    let prefixed = r#"<s3:ListBucketResult xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/">
<s3:IsTruncated>false</s3:IsTruncated><s3:Delimiter>/</s3:Delimiter>
<s3:CommonPrefixes><s3:Prefix>photos/2006/</s3:Prefix></s3:CommonPrefixes>
<s3:CommonPrefixes><s3:Prefix>photos/2007/</s3:Prefix></s3:CommonPrefixes></s3:ListBucketResult>"#;
    assert_eq!(parse_list_objects_v2(prefixed).unwrap().common_prefixes, ["photos/2006/", "photos/2007/"]);
}

#[test]
fn rejects_other_documents_and_bad_values() {
    assert_eq!(
        parse_list_objects_v2("<Error><Code>NoSuchBucket</Code></Error>"),
        Err(S3XmlError::UnexpectedRoot { expected: "ListBucketResult", found: "Error".to_owned() })
    );
    assert_eq!(
        parse_list_objects_v2("<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>"),
        Err(S3XmlError::MissingElement { element: "Key" })
    );
    assert_eq!(
        parse_list_objects_v2("<ListBucketResult><Contents><Key>k</Key></Contents></ListBucketResult>"),
        Err(S3XmlError::MissingElement { element: "Size" })
    );
    assert_eq!(
        parse_list_objects_v2("<ListBucketResult><Contents><Key>k</Key><Size>-1</Size></Contents></ListBucketResult>"),
        Err(S3XmlError::InvalidValue { element: "Size" })
    );
    assert_eq!(
        parse_list_objects_v2(
            "<ListBucketResult><Contents><Key>k</Key><Size>99999999999999999999</Size></Contents></ListBucketResult>"
        ),
        Err(S3XmlError::InvalidValue { element: "Size" })
    );
    assert_eq!(
        parse_list_objects_v2("<ListBucketResult><IsTruncated>yes</IsTruncated></ListBucketResult>"),
        Err(S3XmlError::InvalidValue { element: "IsTruncated" })
    );
    assert_eq!(
        parse_list_objects_v2("<ListBucketResult><KeyCount>x</KeyCount></ListBucketResult>"),
        Err(S3XmlError::InvalidValue { element: "KeyCount" })
    );
    let long_root = format!("<{}/>", "R".repeat(500));
    match parse_list_objects_v2(&long_root) {
        Err(S3XmlError::UnexpectedRoot { found, .. }) => assert_eq!(found.len(), 64),
        other => panic!("{other:?}"),
    }
    let err = parse_list_objects_v2("<ListBucketResult>").unwrap_err();
    assert_eq!(err, S3XmlError::Malformed { reason: XmlErrorCode::UnexpectedEnd, offset: 18 });
    assert_eq!(err.code(), "malformed");
    assert_eq!(
        serde_json::to_value(&err).unwrap(),
        serde_json::json!({"code": "malformed", "reason": "unexpected_end", "offset": 18})
    );
    assert!(err.to_string().contains("ends early"));
    assert!(parse_list_objects_v2("<html><body>502 Bad Gateway</body></html>").is_err());
    assert!(parse_list_objects_v2("<!DOCTYPE x [<!ENTITY a \"b\">]><ListBucketResult/>").is_err());
}

#[test]
fn reads_error_bodies_without_the_signing_details() {
    let aws = r#"<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message><AWSAccessKeyId>AKIAIOSFODNN7EXAMPLE</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256
20130524T000000Z
20130524/us-east-1/s3/aws4_request
7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972</StringToSign><SignatureProvided>f0e8</SignatureProvided><CanonicalRequest>GET
/test.txt</CanonicalRequest><RequestId>4442587FB7D0A2F9</RequestId><HostId>eftixk72aD6Ap51TnqcoF8eFidJG9Z/2mkiDFu8yU9AS1ed4OpIszj7UDNEHGran</HostId></Error>"#;
    let body = parse_error_body(aws).unwrap();
    assert_eq!(
        body,
        ErrorBody {
            code: "SignatureDoesNotMatch".to_owned(),
            message: "The request signature we calculated does not match the signature you provided. \
                      Check your key and signing method."
                .to_owned(),
            resource: None,
            request_id: Some("4442587FB7D0A2F9".to_owned()),
        }
    );
    let json = serde_json::to_string(&body).unwrap();
    assert!(!json.contains("AKIA") && !json.contains("StringToSign") && !json.contains("7344ae"), "{json}");

    let ceph = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code><Message></Message>\
        <BucketName>b</BucketName><RequestId>tx00000a1b2c3d4e5f6-0065f00000-1234-eu01</RequestId>\
        <HostId>1234-eu01-default</HostId></Error>";
    let body = parse_error_body(ceph).unwrap();
    assert_eq!((body.code.as_str(), body.message.as_str()), ("NoSuchKey", ""));
    assert_eq!(body.request_id.as_deref(), Some("tx00000a1b2c3d4e5f6-0065f00000-1234-eu01"));

    let resource = "<Error><Code>NoSuchKey</Code><Message>The resource you requested does not exist</Message>\
        <Resource>/mybucket/myfoto.jpg</Resource><RequestId>4442587FB7D0A2F9</RequestId></Error>";
    assert_eq!(parse_error_body(resource).unwrap().resource.as_deref(), Some("/mybucket/myfoto.jpg"));

    assert_eq!(
        parse_error_body("<Error><Message>m</Message></Error>"),
        Err(S3XmlError::MissingElement { element: "Code" })
    );
    assert!(parse_error_body("").is_err());
    assert!(parse_error_body("<ListBucketResult/>").is_err());
}

#[test]
fn etags_lose_only_their_surrounding_quotes() {
    assert_eq!(unquote_etag("\"abc\""), "abc");
    assert_eq!(unquote_etag(" \"abc-3\" "), "abc-3");
    assert_eq!(unquote_etag("abc"), "abc");
    assert_eq!(unquote_etag("W/\"abc\""), "W/\"abc\"");
    assert_eq!(unquote_etag("\""), "\"");
}

// ---------------------------------------------------------------------------------------------
// Robustness

/// Every prefix of a document ending before its root closes is an error, never a panic.
#[test]
fn truncation_at_every_offset_is_an_error() {
    let end = AWS_EXAMPLE.find("</ListBucketResult>").unwrap() + "</ListBucketResult>".len();
    for cut in (0..AWS_EXAMPLE.len()).filter(|&i| AWS_EXAMPLE.is_char_boundary(i)) {
        let prefix = &AWS_EXAMPLE[..cut];
        let result = parse_list_objects_v2(prefix);
        if cut < end {
            assert!(result.is_err(), "cut at {cut} parsed: {result:?}");
        } else {
            assert!(result.is_ok(), "cut at {cut}");
        }
        let _ = parse_error_body(prefix);
    }
}

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SNIPPETS: &[&str] = &[
    "<",
    ">",
    "/>",
    "</",
    "&",
    ";",
    "&amp;",
    "&#",
    "&#x",
    "&#x110000;",
    "&#0;",
    "&bogus;",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "<?",
    "?>",
    "<!DOCTYPE",
    "\"",
    "'",
    "=",
    " ",
    "\u{0}",
    "é",
    "💾",
    "<Contents>",
    "</Contents>",
    "<Key>",
    "</Key>",
    "<Size>",
    "</Size>",
    "18446744073709551616",
    "<a:b:c>",
    "xmlns:s3=\"u\"",
];

fn mutate(rng: &mut XorShift, doc: &[u8]) -> Vec<u8> {
    let mut bytes = doc.to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(6) {
            0 if !bytes.is_empty() => {
                let i = at.min(bytes.len() - 1);
                bytes[i] = rng.next() as u8;
            }
            1 => {
                let end = (at + rng.below(16)).min(bytes.len());
                bytes.drain(at..end);
            }
            2 => {
                let snippet = SNIPPETS[rng.below(SNIPPETS.len())];
                bytes.splice(at..at, snippet.bytes());
            }
            3 => {
                let end = (at + rng.below(64)).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                let to = rng.below(bytes.len() + 1);
                bytes.splice(to..to, copy);
            }
            4 => bytes.truncate(at),
            _ => {
                let end = (at + rng.below(8)).min(bytes.len());
                bytes[at..end].reverse();
            }
        }
    }
    bytes
}

#[test]
fn random_mutations_never_panic() {
    let samples: [&[u8]; 3] = [
        AWS_EXAMPLE.as_bytes(),
        b"<Error><Code>AccessDenied</Code><Message>Access &amp; Denied</Message><RequestId>r</RequestId></Error>",
        b"<s3:ListBucketResult xmlns:s3=\"u\"><s3:IsTruncated>true</s3:IsTruncated><s3:NextContinuationToken>t\
          </s3:NextContinuationToken><s3:CommonPrefixes><s3:Prefix>p/</s3:Prefix></s3:CommonPrefixes>\
          <s3:Contents><s3:Key><![CDATA[k]]>&#x41;</s3:Key><s3:Size>1</s3:Size></s3:Contents></s3:ListBucketResult>",
    ];
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut parsed = 0;
    for round in 0..20_000 {
        let sample = samples[round % samples.len()];
        let mutated = mutate(&mut rng, sample);
        let text = String::from_utf8_lossy(&mutated);
        if let Ok(page) = parse_list_objects_v2(&text) {
            parsed += 1;
            let _ = serde_json::to_string(&page).unwrap();
        }
        if let Ok(body) = parse_error_body(&text) {
            assert!(!body.code.is_empty());
        }
        if let Err(e) = parse_document(&text) {
            assert!(e.offset <= text.len(), "offset {} beyond {} bytes", e.offset, text.len());
        }
    }
    // Some mutations keep the document valid (e.g. a changed letter inside text).
    assert!(parsed > 100, "only {parsed} mutated documents parsed");
}

#[test]
fn pathological_inputs_are_errors() {
    let deep = "<a>".repeat(100_000);
    assert_eq!(parse_document(&deep).unwrap_err().code, XmlErrorCode::TooDeep);
    let many = format!("<r>{}</r>", "<a/>".repeat(100_000));
    assert_eq!(parse_document(&many).unwrap().children.len(), 100_000);
    let unterminated_entity = format!("<r>&{}</r>", "a".repeat(100_000));
    assert_eq!(parse_document(&unterminated_entity).unwrap_err().code, XmlErrorCode::BadEntity);
    let long_reference = format!("<r>&#{};</r>", "0".repeat(40));
    assert_eq!(parse_document(&long_reference).unwrap_err().code, XmlErrorCode::BadEntity);
    assert_eq!(parse_document("<r>&#x;</r>").unwrap_err().code, XmlErrorCode::BadEntity);
    assert_eq!(parse_document("<r><![CDATA[open</r>").unwrap_err().code, XmlErrorCode::UnexpectedEnd);
    assert_eq!(parse_document("<r a=\"<\"/>").unwrap_err().code, XmlErrorCode::Syntax);
    assert_eq!(parse_document("<r a=\"&bad;\"/>").unwrap_err().code, XmlErrorCode::BadEntity);
    assert_eq!(parse_document("<?xml version=\"1.0\"").unwrap_err().code, XmlErrorCode::UnexpectedEnd);
    assert_eq!(parse_document("<![CDATA[x]]><r/>").unwrap_err().code, XmlErrorCode::NotOneRoot);
}
