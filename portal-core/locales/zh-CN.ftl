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
    您为 { $invoices } 支付的 { $amount } 未能完成：{ $reason }。
    未扣除任何款项，相关发票已恢复为未付状态。您可以在门户中付款： { $url }

## 发送给客户的单据

document-email-subject = { $org } 发来的{ $document }
document-email-body =
    { $name }，您好：

    { $summary }
    单据已作为附件发送，您也可以在客户门户中查看： { $url }
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
