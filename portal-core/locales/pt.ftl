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
    O seu pagamento de { $amount } referente a { $invoices } não foi concluído.
    { $reason }
    Nada foi cobrado e as faturas voltaram a estar por pagar. Pode pagá-las no portal: { $url }

## Documentos enviados ao cliente

document-email-subject = { $document } de { $org }
document-email-body =
    Olá { $name },

    { $summary }
    Abra-o aqui: { $url }

    O documento segue também em anexo.
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

## Recusas que um utilizador do portal pode encontrar (pelo código do erro)

refusal-invalid_email = Isto não é um endereço de email; verifique-o e tente de novo.
refusal-invalid_amount = Este valor não pode ser usado: indique um valor positivo com, no máximo, as casas decimais da moeda.
refusal-currency_mismatch = Estes valores estão em moedas diferentes; pague cada moeda à parte.
refusal-unknown_currency = Esta moeda não é conhecida; use o seu código ISO de três letras.
refusal-weak_password = Escolha outra palavra-passe: esta é demasiado fácil de adivinhar.
refusal-weak_password-short = A palavra-passe deve ter pelo menos 8 caracteres; uma frase curta é mais fácil de lembrar.
refusal-weak_password-long = A palavra-passe deve ter no máximo 256 caracteres.
refusal-weak_password-common = Esta palavra-passe está entre as mais usadas; escolha outra.
refusal-invalid_text = Este texto não pode ser usado: está vazio, é demasiado longo ou tem caracteres não permitidos.
refusal-invalid_preference = Escolha um idioma, fuso horário, formato de data e país das listas.
refusal-invalid_preference-language = "{ $value }" não é um idioma em que este portal esteja escrito; escolha um da lista.
refusal-invalid_preference-time_zone = "{ $value }" não é um fuso horário da base de dados IANA (como Europe/Lisbon); escolha um da lista.
refusal-invalid_preference-country = "{ $value }" não é um código de país ISO 3166-1 (como PT); escolha um da lista.
refusal-invalid_state = Isto já não pode ser feito: mudou desde que a página foi aberta. Recarregue a página.
refusal-not_found = Não há nada aqui, ou não é seu para ver.
refusal-not_shareable = Este documento não pode ser enviado sozinho; partilhe a fatura a que pertence.
refusal-not_commentable = Este documento não tem comentários; comente o orçamento ou a fatura.
refusal-portal_disabled = Este portal está desligado; contacte a organização.
refusal-invalid_link = Esta ligação é inválida ou expirou; peça uma nova.
refusal-invalid_credentials = O email ou a palavra-passe estão incorretos.
refusal-too_many_attempts = Demasiadas tentativas de entrada falhadas; tente de novo daqui a { $minutes ->
        [one] 1 minuto
       *[other] { $minutes } minutos
    }.
refusal-session_expired = A sua sessão terminou; entre de novo.
refusal-link_expired = Esta ligação expirou; peça uma nova à organização.
refusal-link_revoked = Esta ligação já não funciona; peça uma nova à organização.
refusal-link_action_not_allowed = Esta ligação não permite isso; entre no portal ou fale com a organização.
refusal-CP1003 = Esta conta do portal pertence a um contacto que a organização apagou; peça-lhe que o verifique.
refusal-wrong_password = A palavra-passe atual está incorreta.
refusal-password_confirmation_mismatch = A nova palavra-passe e a sua confirmação não coincidem.
refusal-forbidden = O seu acesso ao portal não permite isto; fale com a organização.
refusal-busy = Outra pessoa está a alterar isto agora; tente de novo.
refusal-invalid_cursor = Esta página da lista está desatualizada; volte à primeira página.
refusal-nothing_to_pay = Não há nada a pagar nas faturas escolhidas.
refusal-partial_payment_not_allowed = Esta fatura tem de ser paga por inteiro; não são permitidos pagamentos parciais.
refusal-amount_exceeds_balance = { $amount } é mais do que o saldo a pagar de { $balance }.
refusal-payment_in_progress = Um pagamento desta fatura está a ser processado; veja os pagamentos daqui a pouco e tente de novo.
refusal-no_payment_gateway = O pagamento online não está disponível para esta fatura; contacte a organização para pagar de outra forma.
refusal-bank_payment_not_allowed = O pagamento por conta bancária não está ativo para a sua conta; pague com cartão ou contacte a organização.
refusal-invalid_idempotency_key = Este formulário de pagamento está desatualizado; recarregue a página e pague de novo.
refusal-idempotency_key_reused = Este formulário de pagamento já foi usado para outro pagamento; recarregue a página e pague de novo.
refusal-payment_pending = O pagamento está a ser processado; veja os seus pagamentos daqui a pouco antes de pagar de novo.
refusal-authentication_required = O seu banco pede que confirme este pagamento; continue-o na página de pagamento.
refusal-payment_processing = O pagamento está em processamento e fica liquidado em alguns dias; entretanto o valor fica reservado.
refusal-credit_not_available = Esse crédito não está disponível; atualize os seus créditos.
refusal-reason_required = Indique um motivo para rejeitar ou contestar horas.
refusal-time_not_submittable = Não há decisão a tomar nesta folha de horas; não tem horas à espera de aprovação.
refusal-invalid_project = Este registo de horas ou folha de horas não pode ser usado assim; verifique-o e tente de novo.
refusal-file_too_large = O ficheiro é demasiado grande: o limite é { $megabytes } MB.
refusal-file_type_not_allowed = Ficheiros deste tipo não são aceites; envie um PDF, uma imagem ou um documento de texto.
refusal-invalid_file = Este ficheiro não pode ser usado: verifique que não está vazio e que o nome não tem barras.
refusal-invalid_expiry = A validade tem de ser um mês a partir de agora (mês de 1 a 12, ano com quatro dígitos).
refusal-invalid_payment_details = Os dados do cartão ou da conta não podem ser usados como foram escritos; verifique-os e tente de novo.
refusal-invalid_period = Escolha um período cujo início não seja depois do fim.
refusal-invalid_quote = Este orçamento não pode ser usado assim; verifique-o e tente de novo.
refusal-quote_expired = Este orçamento expirou a { $date }; peça um novo à organização.
refusal-quote_changed = O orçamento mudou desde que o abriu; leia-o de novo antes de aceitar.
refusal-typed_details_refused = Os dados do cartão são escritos no formulário do próprio fornecedor de pagamentos, nunca enviados a este site.
refusal-card_declined = O cartão foi recusado; tente outro cartão ou contacte o seu banco.
refusal-card_expired = O cartão expirou; use outro cartão.
refusal-CP3001 = Os pagamentos com cartão guardado não estão ativos; pague com um cartão escrito agora.
refusal-CP3002 = A conta de pagamentos da organização não está bem configurada; contacte a organização.
refusal-CP3003 = O pagamento foi bloqueado pelas verificações de fraude do fornecedor de pagamentos; contacte a organização.
refusal-CP3004 = A morada de faturação não corresponde à do cartão; verifique a morada.
refusal-CP3005 = O mesmo pagamento foi feito há poucos minutos; veja os seus pagamentos antes de tentar de novo.
refusal-CP4001 = O valor está abaixo do mínimo do fornecedor de pagamentos.
refusal-CP4001-minimum = O valor mínimo do fornecedor de pagamentos é { $minimum }.
refusal-CP4002 = Este fornecedor de pagamentos não aceita meios de pagamento guardados.
refusal-CP4003 = O fornecedor de pagamentos não aceita esta moeda; contacte a organização.
refusal-CP4003-currency = O fornecedor de pagamentos não aceita { $currency }; contacte a organização.
refusal-gateway_unavailable = Não é possível contactar o fornecedor de pagamentos agora; nada foi cobrado. Tente de novo daqui a pouco.
refusal-not_charged = Nada foi cobrado; tente de novo.
refusal-authentication_failed = O seu banco não confirmou o pagamento; nada foi cobrado. Tente de novo ou use outro cartão.
refusal-authentication_abandoned = O pagamento não foi confirmado com o seu banco a tempo; nada foi cobrado.
refusal-debit_failed = O seu banco devolveu o débito; a fatura voltou a estar por pagar.
refusal-payment_failed = O pagamento não foi concluído; nada foi cobrado.

refusal-forbidden-role = A sua função no portal "{ $role }" não lhe permite { $what }; fale com a organização.
refusal-forbidden-setting = A organização desligou "{ $setting }" no seu portal.
refusal-forbidden-inactive = O seu acesso ao portal não está ativo; peça à organização que o ative.
permission-quotes-view = ver orçamentos
permission-quotes-create = comentar orçamentos
permission-quotes-accept = aceitar orçamentos
permission-invoices-view = ver faturas
permission-invoices-create = comentar faturas
permission-invoices-pay = pagar faturas
permission-payments-view = ver pagamentos
permission-payments-create = guardar meios de pagamento
permission-payments-edit = alterar meios de pagamento
permission-payments-delete = apagar meios de pagamento
permission-statements-view = ver extratos
permission-sales-orders-view = ver encomendas
permission-projects-view = ver projetos
permission-projects-create = comentar projetos
permission-timesheets-view = ver folhas de horas
permission-timesheets-create = comentar folhas de horas
permission-timesheets-approve = aprovar folhas de horas
permission-documents-view = ver documentos
permission-documents-upload = enviar documentos
permission-documents-delete = apagar documentos
permission-profile-view = ver os seus dados
permission-profile-edit = alterar os seus dados
setting-portal-enabled = Ativar o portal de clientes
setting-show-sales-orders = Permitir que os clientes vejam encomendas
setting-show-projects = Permitir que os clientes vejam projetos e folhas de horas
setting-allow-uploads = Permitir o envio de documentos
setting-allow-edit-details = Permitir que os clientes alterem os seus dados
setting-enable-reviews = Ativar avaliações de clientes
setting-allow-forwarding = Permitir que os clientes reencaminhem documentos
