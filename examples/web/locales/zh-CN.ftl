# 门户页面（简体中文）。

portal = 客户门户
sign-in = 登录
sign-out = 退出
field-email = 电子邮箱
field-password = 密码
forgot-password-link = 忘记密码？

## 导航

nav-label = 门户
menu = 菜单
nav-home = 首页
nav-quotes = 报价
nav-invoices = 发票
nav-payments = 付款
nav-statement = 对账单
nav-orders = 订单
nav-projects = 项目
nav-timesheets = 工时表
nav-files = 文件
nav-profile = 个人资料
nav-contact = 联系我们

## 概览

signed-in-as = 已登录：{ $name } · { $org }
figure-outstanding = 未付金额
figure-overdue = 逾期金额
figure-credit = 可用余额
figure-balance = 扣除贷项后应付
figure-quotes = 待您处理的报价
figure-pending = 处理中的付款
last-payment = 最近一次付款：{ $date } 付款 { $amount }。
see-invoices = 查看发票
credits-and-refunds = 贷项与退款
payment-methods = 付款方式
your-account = 您的账户
amounts-in = 金额单位：{ $currency }
contact-persons = 联系人
primary = 主要联系人
write-to-us = 给我们留言

## 表格

col-pay = 付款
col-number = 编号
col-due = 到期日
col-status = 状态
col-total = 总额
col-balance = 余额
col-invoice = 发票
col-amount = 金额
col-since = 开始于
col-receipt = 收据
col-date = 日期
col-method = 方式
col-description = 描述
col-quantity = 数量
col-rate = 单价

## 发票

filter-and-sort = 筛选与排序
filter-show = 显示
filter-kind = 类型
sort-by = 排序依据
order = 顺序
filter-all = 全部
filter-unpaid = 未付
filter-partly-paid = 部分已付
filter-overdue = 已逾期
filter-paid = 已付
filter-void = 已作废
sort-issue-date = 开具日期
sort-due-date = 到期日
sort-total = 总额
sort-balance = 余额
order-desc = 最新或最大在前
order-asc = 最早或最小在前
kind-all = 发票和预付款发票
kind-invoice = 发票
kind-retainer = 预付款发票
no-invoices = 这里没有发票。
retainer = 预付款
pay-number = 支付 { $number }
pay-selected = 支付所选发票
pay-all = 支付全部未付金额
next-page = 下一页
invoice-title = 发票 { $number }
issued-on = 开具于 { $date }
due-on = 到期日 { $date }
invoice-status-draft = 草稿
invoice-status-sent = 已发送
invoice-status-partially_paid = 部分已付
invoice-status-paid = 已付
invoice-status-void = 已作废
subtotal = 小计
discount = 折扣
tax = 税额
paid = 已付
credited = 已抵扣
payment-pending = 付款处理中
reserved-until-settles = { $amount }（结算前已预留）
download-pdf = 下载 PDF
print-version = 打印版本
use-credit = 在这张发票上使用您的可用余额

## 付款

pay-amount = 支付 { $amount }
nothing-outstanding = 没有未付款项。
test-mode = 测试模式：请使用测试卡（如 4242 4242 4242 4242）付款，不会实际扣款。
amount-to-pay = 本次支付金额（留空则支付 { $amount }）
pay-with = 付款方式
pay-with-card = 银行卡
pay-with-bank = 银行账户
pay-with-saved = 已保存：{ $method }
card = 银行卡
card-in-provider-form = 卡号填写在支付服务商自己的表单中：本网站永远看不到卡号。
sepa-debit = 银行账户（SEPA 直接借记）
account-holder = 账户持有人
iban-in-provider-form = 由本页面直接发送给支付服务商；本网站永远看不到账号。借记将在几天内结算。
needs-javascript = 使用银行卡或银行借记付款需要 JavaScript：付款表单由支付服务商提供。
method-card = 尾号 { $last4 } 的 { $brand } 卡
method-bank = 尾号 { $last4 } 的银行账户

## 付款记录

pending = 处理中
pending-explained = 已在您的发票上预留，尚未付清。
stage-requires-action = 等待您的银行确认
stage-processing = 处理中（银行借记将在几天内结算）
no-payments = 还没有付款记录。
older-payments = 更早的付款
receipt-title = 收据 { $number }
paid-on = 付款于 { $date }
kept-as-credit = 留作余额
applied-to = 用于
see-payments = 查看您的付款
confirm-with-bank = 请向您的银行确认
confirm-with-bank-explained = 您的银行要求您确认 { $amount } 的付款。确认之前不会扣款；在此期间该金额已预留。
confirm-needs-javascript = 向银行确认需要 JavaScript。
payment-processing = 付款处理中
payment-processing-explained = 您 { $amount } 的付款已被接受，正在处理中：银行借记将在几天内结算。在此之前该金额会在您的发票上预留，结算后（或银行退回时）我们会发邮件通知您。
thank-you = 谢谢
we-received = 我们已收到 { $amount }。您的收据编号为 { $receipt }，收据也会通过电子邮件发送给您。
link-paid = 谢谢：我们已收到 { $amount }。您的收据编号为 { $receipt }。
see-receipt = 查看收据
back-home = 返回首页
card-holder = 持卡人姓名
card-number = 卡号
card-month = 月
card-year = 年
bank-account = 银行账户
routing-number = 银行代码
account-number = 账号

## 转发与评论

forward-title = 转发此文件
forward-to = 电子邮箱地址
forward-note = 附言（可选）
forward = 转发
comments = 评论
no-comments = 还没有评论。
comment-add = 添加评论
comment = 发表评论
comment-you = 您
comment-former-contact = 一位前联系人

## 对账单

statement-title = 账户对账单
statement-range = { $from } 至 { $to }
period = 期间
period-this-month = 本月
period-last-month = 上月
period-this-quarter = 本季度
period-this-year = 今年
period-last-year = 去年
period-custom = 自定义期间
period-from = 从
period-to = 至
col-entry = 项目
opening-balance = 期初余额
closing-balance = 期末余额
entry-invoice = 发票
entry-credit-note = 贷项通知单
entry-payment = 付款
entry-refund = 退款
statement-pending-explained = 已在您的发票上预留，结算前不计入余额。
since = 自 { $date } 起
aging-title = 未付款项账龄
aging-current = 未到期
aging-1-30 = 1–30 天
aging-31-60 = 31–60 天
aging-61-90 = 61–90 天
aging-over-90 = 超过 90 天

## 报价

no-quotes = 还没有报价。
col-expires = 有效期至
quote = 报价
quote-title = 报价 { $number }
valid-until = 有效期至 { $date }
quote-status-draft = 草稿
quote-status-sent = 已发送
quote-status-accepted = 已接受
quote-status-declined = 已拒绝
quote-status-invoiced = 已开票
accepted-by = 已由 <strong>{ $name }</strong> 于 { $date } 接受并签署。
signature-of = { $name } 的签名
declined-because = 已拒绝：
accept = 接受
your-name = 您的姓名
type-to-sign = 输入您的姓名以签署
draw-to-sign = 或在下方手写签名。
clear-drawing = 清除手写
accept-and-sign = 接受并签署
decline = 拒绝
decline-reason = 原因（可选）

## 贷项与付款方式

credits = 贷项
no-credit = 没有可用余额。
col-from = 来源
col-available = 可用
credit-how = 打开一张未付发票即可在其上使用您的余额。
refunds = 退款
no-refunds = 没有退款。
col-paid-back-by = 退回方式
col-refunded = 已退款
source-overpayment = 多付款项
source-retainer = 预付款
use-credit-on = 在 { $number } 上使用余额
use-credit-on-invoice = 在发票上使用余额
credit-to-use = 使用的余额（留空则尽可能多地抵扣）
preview = 预览
what-would-happen = 将会发生什么
col-credit = 余额
col-used = 已使用
balance-now = 当前余额
balance-after = 使用后余额
use-this-credit = 使用此余额
no-saved-methods = 没有已保存的付款方式。
remove = 删除
save-method = 保存付款方式
save-card = 保存银行卡
save = 保存
save-card-in-provider-form = 卡号填写在支付服务商自己的表单中：本网站永远看不到卡号。您的银行可能会要求您确认。
save-card-needs-javascript = 保存银行卡需要 JavaScript：银行卡表单由支付服务商提供。
back-to-methods = 返回付款方式

## 订单、项目与工时表

sales-orders = 销售订单
no-sales-orders = 没有销售订单。
col-ordered = 下单日期
sales-order = 销售订单
sales-order-title = 销售订单 { $number }
ordered-on = 下单于 { $date }
ships-on = 发货日期 { $date }
not-invoiced = 尚未开票。
order-status-draft = 草稿
order-status-open = 进行中
order-status-partially_invoiced = 部分已开票
order-status-invoiced = 已开票
order-status-closed = 已关闭
order-status-void = 已作废
no-projects = 没有项目。
col-project = 项目
project-status-active = 进行中
project-status-completed = 已完成
timesheets-awaiting = 等待您审批的工时表
tasks = 任务
col-task = 任务
col-billable = 可计费
col-logged = 已记录
col-unbilled = 尚未计费
yes = 是
no = 否
time = 工时
no-time = 没有记录工时。
col-note = 备注
more-time = 更多工时记录
no-timesheets = 还没有工时表。
col-timesheet = 工时表
timesheet-title = 工时表 { $title }
col-sent = 发送日期
col-minutes = 分钟
sent-on = 发送于 { $date }
minutes = { $minutes } 分钟
reason = 原因：
col-dispute = 提出异议（原因）
dispute-reason-for = { $date } 的异议原因
reject-reason = 原因（用于全部拒绝）
approve-all = 全部批准
approve-undisputed = 批准除有异议记录外的全部
reject = 拒绝
approval-status-pending = 待审批
approval-status-approved = 已批准
approval-status-partially_approved = 部分批准
approval-status-rejected = 已拒绝
entry-status-unsubmitted = 未提交
entry-status-pending = 待审批
entry-status-approved = 已批准
entry-status-rejected = 已拒绝

## 文件、资料与联系

no-files = 还没有文件。
col-name = 名称
col-size = 大小
col-actions = 操作
shared-with-you = 与您共享
delete = 删除
upload-file = 上传文件
upload-kinds = PDF、PNG、JPEG 或文本文件，最大 10 MiB
upload = 上传
sent = 已发送
back = 返回
forwarded-to = 文件正在发送至 { $to }。
message-sent-to = 您的留言正在发送给 { $org }。
review-thanks = 感谢您的评价。
contact-title = 联系 { $org }
contact-heading = 联系
field-phone = 电话
field-address = 地址
field-subject = 主题
field-message = 留言
send = 发送
write-review = 撰写评价
review-question = 与 { $org } 合作的体验如何？
send-review = 发送评价
your-details = 您的资料
field-customer-name = 客户名称
field-company = 公司
field-first-name = 名
field-last-name = 姓
email-changed-by-org = 由组织修改
billing-address = 账单地址
shipping-address = 收货地址
field-street = 街道
field-street2 = 街道（第二行）
field-postcode = 邮政编码
field-city = 城市
field-country = 国家/地区
save-details = 保存资料
field-customer = 客户
details-kept-by = 您的资料由 { $org } 保管；如需修改，请给他们留言。
change-password = 修改密码
current-password = 当前密码
new-password = 新密码
new-password-again = 再次输入新密码
password-changed = 您的密码已修改；您的其他设备已退出登录。

## 邀请与重置密码

welcome = 欢迎
welcome-title = 欢迎使用您的客户门户
welcome-choose-password = 请设置密码以完成访问设置。
password-again = 再次输入密码
your-preferences = 您的偏好设置
field-language = 语言
field-time-zone = 时区
field-dates = 日期格式
field-clock24 = 24 小时制
set-password-sign-in = 设置密码并登录
reset-title = 重置密码
reset-sent = 如果该邮箱属于门户用户，重置链接已发送。该链接仅在短时间内有效，且只能使用一次。
back-to-sign-in = 返回登录
send-reset-link = 发送重置链接
choose-new-password = 设置新密码
set-password = 设置密码

## Document links

link-pay-now = 立即付款
link-pay-balance = 支付余额
card-cvv = 安全码 (CVV)
link-decide = 接受或拒绝
link-only-this = 此页面显示 <bdi>{ $org }</bdi> 发送给您的一份文档。要查看其他所有内容，请登录<a href="{ $url }">客户门户</a>。

## 拒绝页面

error-title-check = 请检查
error-title-sign-in-again = 请重新登录
error-title-not-allowed = 不允许
error-title-link-gone = 此链接已失效
error-title-cannot-now = 现在无法执行此操作
error-title-payment = 付款未完成
error-title-wait = 请稍候
error-title-unavailable = 请稍后重试
error-unavailable = 门户当前繁忙或无法访问其数据。未做任何更改；请一分钟后重试。
error-title-internal = 出现问题
error-internal = 这不是您的操作造成的。请稍后重试；如果问题持续出现，请告知该组织并提供下方的参考编号。
error-title-not-found = 未找到
error-not-found = 此地址没有页面，或您无权查看。请检查地址，或返回上一页重新查找。
error-title-too-large = 内容过大，无法发送
error-too-large = 您发送的内容超过了门户的上限：文件最大为 10 MiB。请选择较小的文件（或缩短文字）后重新提交表单。
error-title-bad-form = 无法读取此表单
error-bad-form = 表单缺少部分内容或格式不符合要求（页面可能已过期）。请返回、刷新页面后重新填写表单。
error-title-method = 此页面不支持此操作
error-method = 此地址不能这样使用：请通过门户中的链接或按钮打开。
error-title-bad-request = 无法处理此请求
error-bad-request = 请返回、刷新页面后重试。
error-title-csrf = 此表单已过期
error-csrf = 此表单所在的页面太旧，或您此后登录或退出过。请返回、刷新页面后重新提交表单。
error-back-console = 返回组织控制台
error-back-start = 返回首页
error-back-portal = 返回门户
error-reference = 支持参考编号：错误 { $status }，<code>{ $code }</code>

## The dashboard

due-now = 待付款
overdue-amount = 逾期 { $amount }
see-all-due = 查看所有未付款项
nothing-due = 无需付款：您的账目已结清。
your-figures = 您的数据
invoice-status-overdue = 已逾期
amount-due = 应付金额
the-invoice = 发票详情
link-quote-decided = 报价单 { $number } 已{ $status }。
support-reference = 支持参考编号：{ $code }
payments-and-credits = 付款与贷项
col-source = 来源
applied-credit-note = 贷项通知单
applied-overpayment = 多付款项形成的贷项
applied-retainer = 预付款
