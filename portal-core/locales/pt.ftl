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

## Documentos para imprimir (o PDF e a página de impressão)

print-retainer-invoice = Fatura de adiantamento { $number }
print-receipt = Recibo { $number }
print-credit-note = Nota de crédito { $number }
print-statement = Extrato de conta
print-bill-to = Faturar a
print-col-description = Descrição
print-col-quantity = Quantidade
print-col-rate = Preço
print-col-discount = Desconto
print-col-tax = Imposto
print-col-amount = Valor
print-col-applied-to = Aplicado a
print-col-date = Data
print-col-entry = Movimento
print-col-number = Número
print-col-balance = Saldo
print-subtotal = Subtotal
print-discount = Desconto
print-tax = Imposto
print-total = Total
print-paid = Pago
print-credited = Creditado
print-balance-due = Saldo a pagar
print-applied = Aplicado a faturas
print-kept-as-credit = Mantido como crédito
print-received = Recebido
print-credit = Crédito
print-used = Utilizado
print-available = Disponível
print-opening-balance = Saldo inicial
print-closing-balance = Saldo final
print-issue-date = Data de emissão
print-due-date = Data de vencimento
print-valid-until = Válido até
print-order-date = Data da encomenda
print-shipment-date = Data de envio
print-paid-on = Pago em
print-paid-by = Pago com
print-reference = Referência
print-from = De
print-to = Até
print-currency = Moeda
print-running-total = Total acumulado
print-applied-so-far = Aplicado até aqui
print-carried-forward = { $label } a transportar
print-brought-forward = { $label } transportado
print-page = Página { $page } de { $pages }
print-signed = Aceite e assinado
print-continued = { $title } (continuação)
print-content-hash = Resumo do conteúdo: { $hash }
print-declined = Recusado
print-card = cartão { $brand } terminado em { $last4 }
print-bank-account = conta bancária terminada em { $last4 }
print-credit-line = Crédito na sua conta
print-entry-invoice = Fatura
print-entry-credit-note = Nota de crédito
print-entry-payment = Pagamento
print-entry-refund = Reembolso
print-aging-current = Não vencido
print-aging-1-30 = Vencido há 1–30 dias
print-aging-31-60 = Vencido há 31–60 dias
print-aging-61-90 = Vencido há 61–90 dias
print-aging-over-90 = Vencido há mais de 90 dias
print-pending = Pagamento pendente desde { $date }
print-pending-action = { $amount } (a aguardar a confirmação do banco; ainda fora do saldo)
print-pending-processing = { $amount } (em processamento; ainda fora do saldo)
stamp-paid = PAGO
stamp-partially-paid = PAGO EM PARTE
stamp-overdue = VENCIDO
stamp-void = ANULADO
stamp-accepted = ACEITE
stamp-declined = RECUSADO
stamp-invoiced = FATURADO
stamp-used = UTILIZADO
stamp-draft = RASCUNHO
stamp-open = ABERTO
stamp-partially-invoiced = FATURADO EM PARTE
stamp-closed = FECHADO
