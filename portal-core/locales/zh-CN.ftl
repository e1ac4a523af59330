# 门户的电子邮件,简体中文。

## 单据

doc-invoice = 发票 { $number }
doc-quote = 报价单 { $number }
doc-sales-order = 销售订单 { $number }
summary-invoice = 发票 { $number }，金额 { $total }，应付 { $balance }，到期日 { $due }。
summary-quote = 报价单 { $number }，金额 { $total }，有效期至 { $expiry }。
summary-sales-order = 销售订单 { $number }，金额 { $total }，下单日期 { $date }。

## 邀请

invitation-subject = { $org } 客户门户邀请
invitation-body =
    { $name }，您好：

    { $org } 邀请您使用其客户门户，您可以在门户中查看 { $customer } 的报价单、发票和付款记录。

    接受邀请： { $link }

    该链接只能使用一次，并会过期。门户地址： { $url }

## 重置密码

reset-subject = 重置您在 { $org } 门户的密码
reset-body =
    { $name }，您好：

    有人请求重置您在 { $org } 客户门户的密码。
    设置新密码： { $link }

    该链接只能使用一次，{ $minutes } 分钟后失效。如果这不是您本人的请求，请忽略此邮件，您的密码不会改变。

## 付款

receipt-subject = { $org } 的收据 { $receipt }
receipt-body =
    感谢您为 { $invoices } 支付 { $amount }。
    收据：{ $receipt }
payment-failed-subject = 您向 { $org } 的付款未能完成
payment-failed-body =
    您为 { $invoices } 支付的 { $amount } 未能完成。
    { $reason }
    未扣除任何款项，相关发票已恢复为未付状态。您可以在门户中付款： { $url }

## 发送给客户的单据

document-email-subject = { $org } 发来的{ $document }
document-email-body =
    { $name }，您好：

    { $summary }
    点击打开：{ $url }

    单据也已作为附件发送。
link-subject = { $org } 发来的{ $document }
link-body =
    { $name }，您好：

    { $org } 向您发送了{ $document }。打开链接即可{ $actions }(无需登录)： { $link }

    链接有效期至 { $until }。
link-can-view = 查看
link-can-download = 下载
link-can-pay = 付款
link-can-decide = 接受或拒绝
forward-subject = { $sender } 转发了 { $org } 的单据
forward-body =
    { $summary }
    { $note }
    此单据由 { $org } 发送给 { $customer }。客户门户地址： { $url }
forward-note =
    { $sender } 留言：
    { $note }

## 发给客户的通知

comment-subject = { $org } 在客户门户中回复了您
comment-body =
    { $org } 写道：

    { $comment }

    在门户中查看： { $url }

## 列表

list-separator = 、

## 打印文档（PDF 与打印页面）

print-retainer-invoice = 预付款发票 { $number }
print-receipt = 收据 { $number }
print-credit-note = 贷项通知单 { $number }
print-statement = 对账单
print-bill-to = 账单寄送至
print-col-description = 描述
print-col-quantity = 数量
print-col-rate = 单价
print-col-discount = 折扣
print-col-tax = 税
print-col-amount = 金额
print-col-applied-to = 用于
print-col-date = 日期
print-col-entry = 项目
print-col-number = 编号
print-col-balance = 余额
print-subtotal = 小计
print-discount = 折扣
print-tax = 税
print-total = 合计
print-paid = 已付
print-credited = 已抵扣
print-balance-due = 应付余额
print-applied = 已用于发票
print-kept-as-credit = 留作贷项
print-received = 已收款
print-credit = 贷项
print-used = 已使用
print-available = 可用
print-opening-balance = 期初余额
print-closing-balance = 期末余额
print-issue-date = 开具日期
print-due-date = 到期日
print-valid-until = 有效期至
print-order-date = 订单日期
print-shipment-date = 发货日期
print-paid-on = 付款日期
print-paid-by = 付款方式
print-reference = 参考号
print-from = 起始
print-to = 截止
print-currency = 货币
print-running-total = 累计金额
print-applied-so-far = 累计已用
print-carried-forward = { $label }（转下页）
print-brought-forward = { $label }（承上页）
print-page = 第 { $page } 页，共 { $pages } 页
print-signed = 已接受并签署
print-continued = { $title }（续）
print-content-hash = 内容哈希：{ $hash }
print-declined = 已拒绝
print-card = 尾号 { $last4 } 的 { $brand } 卡
print-bank-account = 尾号 { $last4 } 的银行账户
print-credit-line = 计入您的账户的贷项
print-entry-invoice = 发票
print-entry-credit-note = 贷项通知单
print-entry-payment = 付款
print-entry-refund = 退款
print-aging-current = 未到期
print-aging-1-30 = 逾期 1–30 天
print-aging-31-60 = 逾期 31–60 天
print-aging-61-90 = 逾期 61–90 天
print-aging-over-90 = 逾期 90 天以上
print-pending = 自 { $date } 起待处理的付款
print-pending-action = { $amount }（等待银行确认；尚未计入余额）
print-pending-processing = { $amount }（处理中；尚未计入余额）
stamp-paid = 已付款
stamp-partially-paid = 部分付款
stamp-overdue = 已逾期
stamp-void = 已作废
stamp-accepted = 已接受
stamp-declined = 已拒绝
stamp-invoiced = 已开票
stamp-used = 已用完
stamp-draft = 草稿
stamp-open = 未完成
stamp-partially-invoiced = 部分开票
stamp-closed = 已关闭

## 门户用户可能遇到的拒绝（按错误代码）

refusal-invalid_email = 这不是有效的电子邮件地址；请检查后重试。
refusal-invalid_amount = 此金额无法使用：请输入正数，小数位数不超过该货币的位数。
refusal-currency_mismatch = 这些金额的货币不同；请按货币分别付款。
refusal-unknown_currency = 无法识别此货币；请使用三个字母的 ISO 代码。
refusal-weak_password = 请换一个密码：这个密码太容易被猜到。
refusal-weak_password-short = 密码至少需要 8 个字符；一个短句最容易记住。
refusal-weak_password-long = 密码最多 256 个字符。
refusal-weak_password-common = 这是最常用的密码之一；请换一个。
refusal-invalid_text = 此文本无法使用：为空、过长或含有不允许的字符。
refusal-invalid_preference = 请从列表中选择语言、时区、日期格式和国家或地区。
refusal-invalid_preference-language = “{ $value }”不是本门户支持的语言；请从列表中选择。
refusal-invalid_preference-time_zone = “{ $value }”不是 IANA 数据库中的时区（例如 Asia/Shanghai）；请从列表中选择。
refusal-invalid_preference-country = “{ $value }”不是 ISO 3166-1 国家或地区代码（例如 CN）；请从列表中选择。
refusal-invalid_state = 此操作已无法进行：页面打开后内容已更改。请刷新页面。
refusal-not_found = 这里没有内容，或者您无权查看。
refusal-not_shareable = 此文档不能单独发送；请分享它所属的发票。
refusal-not_commentable = 此文档没有评论；请在其报价单或发票上评论。
refusal-portal_disabled = 此门户已关闭；请联系该组织。
refusal-invalid_link = 此链接无效或已过期；请申请新的链接。
refusal-invalid_credentials = 电子邮件或密码不正确。
refusal-too_many_attempts = 登录失败次数过多；请在 { $minutes } 分钟后重试。
refusal-session_expired = 您的会话已结束；请重新登录。
refusal-link_expired = 此链接已过期；请向该组织索取新链接。
refusal-link_revoked = 此链接已失效；请向该组织索取新链接。
refusal-link_action_not_allowed = 此链接不允许此操作；请登录门户或联系该组织。
refusal-CP1003 = 此门户账户属于已被该组织删除的联系人；请联系该组织核实。
refusal-wrong_password = 当前密码不正确。
refusal-password_confirmation_mismatch = 新密码与确认密码不一致。
refusal-forbidden = 您的门户权限不允许此操作；请联系该组织。
refusal-busy = 其他人正在修改此内容；请重试。
refusal-invalid_cursor = 列表的此页已过期；请返回第一页。
refusal-nothing_to_pay = 所选发票没有需要支付的金额。
refusal-partial_payment_not_allowed = 此发票必须全额支付；不允许部分付款。
refusal-amount_exceeds_balance = { $amount } 超过了应付余额 { $balance }。
refusal-payment_in_progress = 此发票的一笔付款正在处理中；请稍后查看付款记录再重试。
refusal-no_payment_gateway = 此发票未开通在线付款；请联系该组织以其他方式付款。
refusal-bank_payment_not_allowed = 您的账户未开通银行账户付款；请用银行卡付款或联系该组织。
refusal-invalid_idempotency_key = 此付款表单已过期；请刷新页面后重新付款。
refusal-idempotency_key_reused = 此付款表单已用于另一笔付款；请刷新页面后重新付款。
refusal-payment_pending = 付款正在处理中；再次付款前请稍后查看付款记录。
refusal-authentication_required = 您的银行要求确认此付款；请在付款页面继续。
refusal-payment_processing = 付款正在处理中，将在几天内完成结算；在此期间该金额已被预留。
refusal-credit_not_available = 没有这么多可用贷项；请刷新您的贷项。
refusal-reason_required = 拒绝或对工时提出异议时请说明原因。
refusal-time_not_submittable = 此工时表无需决定；没有待审批的工时。
refusal-invalid_project = 此工时记录或工时表无法按原样使用；请检查后重试。
refusal-file_too_large = 文件过大：上限为 { $megabytes } MB。
refusal-file_type_not_allowed = 不接受此类型的文件；请发送 PDF、图片或文本文档。
refusal-invalid_file = 此文件无法使用：请确认文件不为空且文件名中没有斜杠。
refusal-invalid_expiry = 有效期必须是从现在起的某个月份（月份 1 到 12，四位数年份）。
refusal-invalid_payment_details = 银行卡或账户信息无法按输入使用；请检查后重试。
refusal-invalid_period = 请选择开始日期不晚于结束日期的期间。
refusal-invalid_quote = 此报价单无法按原样使用；请检查后重试。
refusal-quote_expired = 此报价单已于 { $date } 过期；请向该组织索取新的报价单。
refusal-quote_changed = 您打开报价单后其内容已更改；接受前请重新阅读。
refusal-typed_details_refused = 银行卡信息在支付服务商自己的表单中输入，绝不会发送到本网站。
refusal-card_declined = 银行卡被拒绝；请换一张卡或联系您的银行。
refusal-card_expired = 银行卡已过期；请使用另一张卡。
refusal-CP3001 = 未开通已保存银行卡付款；请输入银行卡信息付款。
refusal-CP3002 = 该组织的收款账户设置有误；请联系该组织。
refusal-CP3003 = 付款被支付服务商的反欺诈检查拦截；请联系该组织。
refusal-CP3004 = 账单地址与银行卡地址不符；请检查地址。
refusal-CP3005 = 几分钟前已进行过相同的付款；重试前请查看付款记录。
refusal-CP4001 = 金额低于支付服务商的最低金额。
refusal-CP4001-minimum = 支付服务商的最低金额为 { $minimum }。
refusal-CP4002 = 此支付服务商不支持已保存的付款方式。
refusal-CP4003 = 支付服务商不接受此货币；请联系该组织。
refusal-CP4003-currency = 支付服务商不接受 { $currency }；请联系该组织。
refusal-gateway_unavailable = 暂时无法连接支付服务商；未扣任何款项。请稍后重试。
refusal-not_charged = 未扣任何款项；请重试。
refusal-authentication_failed = 您的银行未确认此付款；未扣任何款项。请重试或使用另一张卡。
refusal-authentication_abandoned = 未及时向您的银行确认付款；未扣任何款项。
refusal-debit_failed = 您的银行退回了扣款；该发票恢复为未付。
refusal-payment_failed = 付款未完成；未扣任何款项。

refusal-forbidden-role = 您的门户角色“{ $role }”不允许您{ $what }；请联系该组织。
refusal-forbidden-setting = 该组织已在其门户中关闭“{ $setting }”。
refusal-forbidden-inactive = 您的门户访问权限未启用；请联系该组织启用。
permission-quotes-view = 查看报价单
permission-quotes-create = 评论报价单
permission-quotes-accept = 接受报价单
permission-invoices-view = 查看发票
permission-invoices-create = 评论发票
permission-invoices-pay = 支付发票
permission-payments-view = 查看付款
permission-payments-create = 保存付款方式
permission-payments-edit = 编辑付款方式
permission-payments-delete = 删除付款方式
permission-statements-view = 查看对账单
permission-sales-orders-view = 查看销售订单
permission-projects-view = 查看项目
permission-projects-create = 评论项目
permission-timesheets-view = 查看工时表
permission-timesheets-create = 评论工时表
permission-timesheets-approve = 审批工时表
permission-documents-view = 查看文档
permission-documents-upload = 上传文档
permission-documents-delete = 删除文档
permission-profile-view = 查看您的资料
permission-profile-edit = 编辑您的资料
setting-portal-enabled = 启用客户门户
setting-show-sales-orders = 允许客户查看销售订单
setting-show-projects = 允许客户查看项目和工时表
setting-allow-uploads = 允许上传文档
setting-allow-edit-details = 允许客户编辑其资料
setting-enable-reviews = 启用客户评价
setting-allow-forwarding = 允许客户转发文档
