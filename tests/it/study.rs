//! Study aids in the built files: self-tests, reading time, the ICP footer, packets and
//! the notes page.

use crate::support::*;

#[test]
fn quiz_reading_time_icp_and_packet_are_built() {
    let out = temp();
    ok(&build(&fixture("study"), out.path(), &[]));
    let page = read(out.path(), "lessons/a/index.html");
    assert_eq!(page.matches("data-question=").count(), 4);
    assert!(page.contains("data-answer=\"A\"") && page.contains("data-answer=\"A|B\""));
    assert!(page.contains("data-answer=\"false\"") && page.contains("data-answer=\"五无\""));
    assert!(page.contains("<details class=\"answer\"><summary>查看答案与解析</summary><p>答案：A</p><p>解析：下党乡属寿宁县。</p></details>"));
    assert!(page.contains("约 1 分钟"), "reading time");
    assert!(
        page.contains(
            "<a href=\"https://beian.miit.gov.cn/\" rel=\"noopener\">闽ICP备00000000号-1</a>"
        ),
        "ICP footer"
    );
    let packet = read(out.path(), "lessons/packet.html");
    assert!(packet.contains("id=\"p1\"") && packet.contains("id=\"p2\""));
    assert!(
        packet.contains("<h2 id=\"p1-第一部分\">第一部分</h2>"),
        "ids are prefixed per page"
    );
    assert!(read(out.path(), "lessons/index.html").contains("href=\"../lessons/packet.html\""));
    assert!(out.path().join("my-notes/index.html").exists());
    // A site without `icp` has no such footer.
    let plain = temp();
    ok(&build(&fixture("timeline"), plain.path(), &[]));
    assert!(!read(plain.path(), "index.html").contains("beian.miit.gov.cn"));
}
