"""Vietnamese for alert intake: the intake API, alert sources (pages, API), set-up help.

msgid → msgstr (see ../translate_vi.py). Glossary: alert = cảnh báo, alert source = nguồn
cảnh báo, dedup key = mã chống trùng, token = mã truy cập, heartbeat = tín hiệu định kỳ.
"""

MESSAGES: dict[str, str] = {
    # The intake endpoint (answers to monitoring tools and their operators).
    "Send the alerts with POST and the source's token (Authorization: Bearer …).": (
        "Gửi cảnh báo bằng POST kèm mã truy cập của nguồn (Authorization: Bearer …)."
    ),
    "No token: send the alert source's token as 'Authorization: Bearer <token>'. A unit "
    "editor makes one on the Alert sources page or with `citysoc source create`.": (
        "Thiếu mã truy cập: gửi mã của nguồn cảnh báo trong 'Authorization: Bearer <token>'. "
        "Cán bộ có quyền sửa của đơn vị tạo mã tại trang Nguồn cảnh báo hoặc bằng "
        "`citysoc source create`."
    ),
    "Unknown token: no alert source has it (it may have been replaced). Copy the current "
    "token from the source's page, or rotate it there.": (
        "Mã truy cập không đúng: không nguồn cảnh báo nào có mã này (có thể mã đã được thay). "
        "Lấy mã hiện hành ở trang của nguồn, hoặc tạo mã mới tại đó."
    ),
    "Source id.": "Mã số nguồn cảnh báo.",
    "Source kind (wazuh, suricata, …).": "Loại nguồn (wazuh, suricata, …).",
    "There is no intake for '%(kind)s'. Post to one of: %(known)s.": (
        "Không có điểm nhận cho '%(kind)s'. Gửi tới một trong: %(known)s."
    ),
    "The body is larger than %(mb)d MB. Send the events in smaller batches.": (
        "Nội dung gửi lớn hơn %(mb)d MB. Hãy chia sự kiện thành các lô nhỏ hơn."
    ),
    "The alert source '%(name)s' is disabled. A unit editor can enable it again.": (
        "Nguồn cảnh báo '%(name)s' đang tắt. Cán bộ có quyền sửa của đơn vị có thể bật lại."
    ),
    "This token belongs to the %(own)s source '%(name)s'; it may only post to "
    "/api/alerts/intake/%(own)s/, not /%(kind)s/.": (
        "Mã truy cập này thuộc nguồn %(own)s '%(name)s'; mã chỉ được gửi tới "
        "/api/alerts/intake/%(own)s/, không được gửi tới /%(kind)s/."
    ),
    "Record %(index)d names unit '%(named)s', but this token belongs to unit '%(own)s'. A "
    "token posts only its own unit's alerts: use a token of unit '%(named)s', or leave the "
    "unit field out.": (
        "Bản ghi %(index)d ghi đơn vị '%(named)s', nhưng mã truy cập này thuộc đơn vị "
        "'%(own)s'. Mỗi mã chỉ gửi cảnh báo của chính đơn vị mình: dùng mã của đơn vị "
        "'%(named)s', hoặc bỏ trường unit."
    ),
    # The alerts and alert sources API.
    "Alert %(id)d is already resolved (by %(by)s); there is nothing to acknowledge.": (
        "Cảnh báo %(id)d đã được xử lý xong (bởi %(by)s); không còn gì để tiếp nhận."
    ),
    "Sources of kind '%(kind)s' are citysoc's own. Choose one of: %(known)s.": (
        "Nguồn loại '%(kind)s' là nguồn nội bộ của citysoc. Chọn một trong: %(known)s."
    ),
    "That policy is another unit's; choose one of yours.": (
        "Chính sách leo thang đó thuộc đơn vị khác; hãy chọn chính sách của đơn vị mình."
    ),
    "A syslog source needs the sender addresses of its devices.": (
        "Nguồn syslog cần địa chỉ gửi của các thiết bị."
    ),
    "Line %(n)d, '%(text)s', is not an IP address or CIDR range.": (
        "Dòng %(n)d, '%(text)s', không phải địa chỉ IP hay dải CIDR."
    ),
    "A source's unit and kind cannot change; make a new source.": (
        "Không đổi được đơn vị và loại của nguồn; hãy tạo nguồn mới."
    ),
    # Forms.
    "Expected at least every (minutes)": "Phải có tín hiệu ít nhất mỗi (phút)",
    "Heartbeat: when nothing arrives for longer than this, an alert says the source went "
    "silent. Leave empty for a source that only speaks when something happens.": (
        "Tín hiệu định kỳ: nếu quá khoảng này không nhận được gì, hệ thống báo nguồn đã im "
        "lặng. Để trống với nguồn chỉ gửi khi có sự việc."
    ),
    "Syslog: the addresses (or CIDR ranges) of the devices that send, one per line.": (
        "Syslog: địa chỉ (hoặc dải CIDR) của các thiết bị gửi, mỗi dòng một địa chỉ."
    ),
    "Low urgency alerts wait for office hours; high urgency wakes people.": (
        "Cảnh báo khẩn cấp thấp chờ đến giờ hành chính; khẩn cấp cao báo ngay cả ban đêm."
    ),
    "Beyond this many notifications a minute, the source's alerts are grouped into one message.": (
        "Vượt quá số thông báo này trong một phút, các cảnh báo của nguồn được gộp vào một "
        "tin nhắn."
    ),
    "Empty: the unit's default policy, else the city's.": (
        "Để trống: dùng chính sách mặc định của đơn vị, nếu không có thì của thành phố."
    ),
    "That policy is another unit's; choose one of %(unit)s's or the city's.": (
        "Chính sách đó thuộc đơn vị khác; hãy chọn chính sách của %(unit)s hoặc của thành phố."
    ),
    # Heartbeat states.
    "not watched": "không theo dõi",
    "nothing received yet": "chưa nhận được gì",
    # Set-up help per tool.
    "Test with curl": "Thử bằng curl",
    "The hub answers 202 with what it did: alerts created or repeated, and each rejected "
    "record with its position and the reason. Bodies up to 10 MB; gzip is read as is.": (
        "Hệ thống trả về 202 kèm kết quả: số cảnh báo tạo mới hoặc lặp lại, và từng bản ghi "
        "bị từ chối với vị trí và lý do. Nội dung tối đa 10 MB; đọc được cả gzip."
    ),
    "Wazuh manager: /var/ossec/etc/ossec.conf": "Máy chủ Wazuh: /var/ossec/etc/ossec.conf",
    "Add this block inside <ossec_config>; alerts of level 7 and above are sent. Then restart "
    "the manager (systemctl restart wazuh-manager).": (
        "Thêm khối này vào trong <ossec_config>; cảnh báo từ mức 7 trở lên sẽ được gửi. Sau đó "
        "khởi động lại (systemctl restart wazuh-manager)."
    ),
    "Wazuh manager: /var/ossec/integrations/custom-citysoc": (
        "Máy chủ Wazuh: /var/ossec/integrations/custom-citysoc"
    ),
    "The integration script Wazuh runs for each alert. Make it owned by root:wazuh with mode "
    "750 (chmod 750; chown root:wazuh).": (
        "Tập lệnh tích hợp Wazuh chạy cho mỗi cảnh báo. Đặt chủ sở hữu root:wazuh và quyền "
        "750 (chmod 750; chown root:wazuh)."
    ),
    "Alertmanager: alertmanager.yml": "Alertmanager: alertmanager.yml",
    "Add the receiver (or route a sub-tree of alerts to it). Resolved alerts close the "
    "matching alert here; the fingerprint is the dedup key.": (
        "Thêm bộ nhận (hoặc định tuyến một nhánh cảnh báo tới nó). Cảnh báo đã hết sẽ đóng "
        "cảnh báo tương ứng ở đây; fingerprint là mã chống trùng."
    ),
    "Suricata sensor: Fluent Bit (fluent-bit.conf)": (
        "Cảm biến Suricata: Fluent Bit (fluent-bit.conf)"
    ),
    "Follows eve.json and posts each new alert line (flow, dns and stats events are left on "
    "the sensor). Any shipper that POSTs EVE lines works the same way.": (
        "Theo dõi eve.json và gửi từng dòng cảnh báo mới (sự kiện flow, dns, stats ở lại cảm "
        "biến). Công cụ chuyển log nào gửi được các dòng EVE bằng POST cũng dùng được."
    ),
    "Zeek sensor: rotated notice.log (TSV), hourly": (
        "Cảm biến Zeek: notice.log đã xoay vòng (TSV), mỗi giờ"
    ),
    "Send each rotated notice log once; sending the same file twice counts its notices twice.": (
        "Gửi mỗi tệp notice đã xoay vòng một lần; gửi một tệp hai lần sẽ đếm các cảnh báo "
        "trong đó hai lần."
    ),
    "Zeek sensor with JSON logs: Fluent Bit (fluent-bit.conf)": (
        "Cảm biến Zeek ghi log JSON: Fluent Bit (fluent-bit.conf)"
    ),
    "With policy/tuning/json-logs loaded, follow notice.log as it is written.": (
        "Khi đã nạp policy/tuning/json-logs, theo dõi notice.log ngay khi được ghi."
    ),
    "Syslog": "Syslog",
    "Point each device's syslog at this hub's syslog listener. Messages from the sender "
    "addresses of this source are filed under its unit.": (
        "Cấu hình syslog của từng thiết bị gửi tới bộ nhận syslog của hệ thống. Bản tin từ "
        "các địa chỉ gửi của nguồn này được ghi cho đơn vị của nguồn."
    ),
    # Pages.
    "Your role can only read; it cannot add alert sources.": (
        "Vai trò của bạn chỉ được xem, không được thêm nguồn cảnh báo."
    ),
    "Only the editors of %(unit)s change its alert sources.": (
        "Chỉ cán bộ có quyền sửa của %(unit)s mới thay đổi được nguồn cảnh báo của đơn vị."
    ),
    "Make a new token": "Tạo mã truy cập mới",
    "The current token of %(name)s (it starts with %(prefix)s) stops working at once. Until "
    "the new token is pasted into the tool, its alerts are refused.": (
        "Mã truy cập hiện tại của %(name)s (bắt đầu bằng %(prefix)s) mất hiệu lực ngay. Cho "
        "tới khi dán mã mới vào công cụ, cảnh báo của nó sẽ bị từ chối."
    ),
    "Copy": "Sao chép",
    "Alert source created": "Đã tạo nguồn cảnh báo",
    "New token": "Mã truy cập mới",
    "Copy the token now: it is shown only this once. Only its fingerprint is kept, so nobody "
    "can show it again; if it is lost, make a new one.": (
        "Hãy sao chép mã ngay: mã chỉ hiện một lần này. Hệ thống chỉ giữ dấu vân tay của mã "
        "nên không ai xem lại được; nếu mất, hãy tạo mã mới."
    ),
    "The previous token no longer works: paste this one into the tool.": (
        "Mã cũ không còn hiệu lực: hãy dán mã này vào công cụ."
    ),
    "What to paste where": "Dán gì, vào đâu",
    "Done: go to the source": "Xong: về trang nguồn",
    "%(kind)s posts to this address, with the header Authorization: Bearer and the token:": (
        "%(kind)s gửi tới địa chỉ này, với tiêu đề Authorization: Bearer và mã truy cập:"
    ),
    "disabled": "đang tắt",
    "Posts to": "Gửi tới",
    "Token": "Mã truy cập",
    "Sender addresses": "Địa chỉ gửi",
    "Notifications per minute": "Số thông báo mỗi phút",
    "Last event": "Sự kiện gần nhất",
    "Heartbeat": "Tín hiệu định kỳ",
    "Open alerts": "Cảnh báo đang mở",
    "Recent alerts": "Cảnh báo gần đây",
    "No alert from this source yet.": "Nguồn này chưa gửi cảnh báo nào.",
    "Set-up": "Cài đặt",
    "Replace <TOKEN> with the token shown when the source was made. If it is lost, make a "
    "new token.": (
        "Thay <TOKEN> bằng mã truy cập hiện ra khi tạo nguồn. Nếu mất mã, hãy tạo mã mới."
    ),
    "the unit's default": "mặc định của đơn vị",
    "expected at least every %(minutes)s minutes": "cần có tín hiệu ít nhất mỗi %(minutes)s phút",
    "Add an alert source": "Thêm nguồn cảnh báo",
    "The token is shown once, on the next page, with what to paste into the tool.": (
        "Mã truy cập chỉ hiện một lần, ở trang tiếp theo, cùng hướng dẫn dán vào công cụ."
    ),
    "Create and show the token": "Tạo và hiện mã truy cập",
    "Settings of %(name)s": "Thiết lập của %(name)s",
    "The tools that send a unit's alerts to the hub: Wazuh, Suricata, Zeek, Alertmanager, "
    "scripts and firewalls. Each has its own token; everything it sends is its unit's.": (
        "Các công cụ gửi cảnh báo của đơn vị về hệ thống: Wazuh, Suricata, Zeek, Alertmanager, "
        "tập lệnh và tường lửa. Mỗi nguồn có mã truy cập riêng; mọi thứ nó gửi thuộc về đơn vị "
        "của nó."
    ),
    "Unit code": "Mã đơn vị",
    "No alert source yet.": "Chưa có nguồn cảnh báo nào.",
    "dedup key": "mã chống trùng",
}

# (singular, plural) → the one Vietnamese form.
PLURALS: dict[tuple[str, str], str] = {}
