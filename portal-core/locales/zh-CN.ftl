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
