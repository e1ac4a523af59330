# Os emails do portal, em português (de Portugal).

## Documentos

doc-invoice = Fatura { $number }
doc-quote = Orçamento { $number }
doc-sales-order = Encomenda { $number }
summary-invoice = Fatura { $number } de { $total }, { $balance } a pagar até { $due }.
summary-quote = Orçamento { $number } de { $total }, válido até { $expiry }.
summary-sales-order = Encomenda { $number } de { $total }, feita em { $date }.

## Convite

invitation-subject = Convite para o portal de clientes { $org }
invitation-body =
    Olá { $name },

    { $org } convidou-o para o seu portal de clientes, onde pode ver os orçamentos, faturas e pagamentos de { $customer }.

    Aceite o convite: { $link }

    A ligação funciona uma vez e expira. O portal está em { $url }.

## Palavra-passe

reset-subject = Redefina a sua palavra-passe do portal { $org }
reset-body =
    Olá { $name },

    Alguém pediu para redefinir a sua palavra-passe do portal de clientes { $org }.
    Escolha uma nova palavra-passe: { $link }

    A ligação funciona uma vez e expira em { $minutes } minutos. Se não fez este pedido, ignore este email: a sua palavra-passe mantém-se.

## Pagamentos

receipt-subject = Recibo { $receipt } de { $org }
receipt-body =
    Obrigado pelo seu pagamento de { $amount } referente a { $invoices }.
    Recibo: { $receipt }
payment-failed-subject = O seu pagamento a { $org } não foi concluído
payment-failed-body =
    O seu pagamento de { $amount } referente a { $invoices } não foi concluído: { $reason }.
    Nada foi cobrado e as faturas voltaram a estar por pagar. Pode pagá-las no portal: { $url }

## Documentos enviados ao cliente

document-email-subject = { $document } de { $org }
document-email-body =
    Olá { $name },

    { $summary }
    O documento segue em anexo; também está no seu portal de clientes em { $url }.
link-subject = { $document } de { $org }
link-body =
    Olá { $name },

    { $org } enviou-lhe { $document }. Abra-o para { $actions } (sem iniciar sessão):
    { $link }

    A ligação funciona até { $until }.
link-can-view = ver
link-can-download = descarregar
link-can-pay = pagar
link-can-decide = aceitar ou recusar
forward-subject = { $sender } reencaminhou um documento de { $org }
forward-body =
    { $summary }
    { $note }
    Foi enviado a { $customer } por { $org }. O portal de clientes está em { $url }.
forward-note =
    { $sender } escreveu:
    { $note }

## Notificações ao cliente

comment-subject = { $org } respondeu no portal de clientes
comment-body =
    { $org } escreveu:

    { $comment }

    Veja no portal: { $url }

## Lists

list-separator = {", "}
