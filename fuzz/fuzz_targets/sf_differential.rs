//! Differential fuzzing of the Structured Field readers against the `sfv` crate
//! (RFC 9651): for every input, `ratelimit_governor::sf::parse_{item,list,dictionary}`
//! must accept exactly what `sfv` accepts, and agree on the number of members.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ratelimit_governor::sf;

fuzz_target!(|data: &[u8]| {
    let ours = sf::parse_item(data).is_ok();
    let peer = sfv::Parser::new(data).parse::<sfv::Item>().is_ok();
    assert_eq!(
        ours, peer,
        "Item acceptance differs (ours {ours}, sfv {peer})"
    );

    let ours = sf::parse_list(data).map(|l| l.len());
    let peer = sfv::Parser::new(data).parse::<sfv::List>().map(|l| l.len());
    assert_eq!(
        ours.is_ok(),
        peer.is_ok(),
        "List acceptance differs: ours {ours:?}, sfv {peer:?}"
    );
    if let (Ok(a), Ok(b)) = (ours, peer) {
        assert_eq!(a, b, "List member count differs");
    }

    let ours = sf::parse_dictionary(data).map(|d| d.iter().count());
    let peer = sfv::Parser::new(data).parse::<sfv::Dictionary>();
    assert_eq!(
        ours.is_ok(),
        peer.is_ok(),
        "Dictionary acceptance differs: ours {ours:?}, sfv {:?}",
        peer.as_ref().map(|d| d.len())
    );
});
