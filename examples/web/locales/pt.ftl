# As páginas do portal em português (de Portugal).

portal = Portal de clientes
sign-in = Entrar
sign-out = Sair
field-email = Email
field-password = Palavra-passe
forgot-password-link = Esqueceu-se da palavra-passe?

## Navegação

nav-label = Portal
menu = Menu
nav-home = Início
nav-quotes = Orçamentos
nav-invoices = Faturas
nav-payments = Pagamentos
nav-statement = Extrato
nav-orders = Encomendas
nav-projects = Projetos
nav-timesheets = Folhas de horas
nav-files = Ficheiros
nav-profile = Perfil
nav-contact = Contacto

## Painel

signed-in-as = Sessão iniciada como { $name } · { $org }
figure-outstanding = Em dívida
figure-overdue = Vencido
figure-credit = Crédito disponível
figure-balance = Em dívida após o seu crédito
figure-quotes = Orçamentos à sua espera
figure-pending = Pagamentos pendentes
last-payment = Último pagamento: { $amount } em { $date }.
see-invoices = Ver faturas
credits-and-refunds = Créditos e reembolsos
payment-methods = Métodos de pagamento
your-account = A sua conta
amounts-in = Valores em { $currency }
contact-persons = Pessoas de contacto
primary = principal
write-to-us = Escreva-nos

## Tabelas

col-pay = Pagar
col-number = Número
col-due = Vencimento
col-status = Estado
col-total = Total
col-balance = Saldo
col-invoice = Fatura
col-amount = Valor
col-since = Desde
col-receipt = Recibo
col-date = Data
col-method = Método
col-description = Descrição
col-quantity = Quantidade
col-rate = Preço

## Faturas

filter-and-sort = Filtrar e ordenar
filter-show = Mostrar
filter-kind = Tipo
sort-by = Ordenar por
order = Ordem
filter-all = Todas
filter-unpaid = Por pagar
filter-partly-paid = Pagas em parte
filter-overdue = Vencidas
filter-paid = Pagas
filter-void = Anuladas
sort-issue-date = Data de emissão
sort-due-date = Data de vencimento
sort-total = Total
sort-balance = Saldo
order-desc = Mais recentes ou maiores primeiro
order-asc = Mais antigas ou menores primeiro
kind-all = Faturas e adiantamentos
kind-invoice = Faturas
kind-retainer = Faturas de adiantamento
no-invoices = Não há faturas aqui.
retainer = adiantamento
pay-number = Pagar { $number }
pay-selected = Pagar as selecionadas
pay-all = Pagar tudo o que está em dívida
next-page = Página seguinte
invoice-title = Fatura { $number }
issued-on = Emitida a { $date }
due-on = vence a { $date }
invoice-status-draft = rascunho
invoice-status-sent = enviada
invoice-status-partially_paid = paga em parte
invoice-status-paid = paga
invoice-status-void = anulada
subtotal = Subtotal
discount = Desconto
tax = Imposto
paid = Pago
credited = Creditado
payment-pending = Pagamento pendente
reserved-until-settles = { $amount } (reservado até ser liquidado)
download-pdf = Descarregar PDF
print-version = Versão para imprimir
use-credit = Usar o seu crédito disponível nesta fatura

## Pagar

pay-amount = Pagar { $amount }
nothing-outstanding = Não há nada em dívida.
test-mode = Modo de teste: pague com um cartão de teste como 4242 4242 4242 4242. Nada é cobrado.
amount-to-pay = Valor a pagar agora (deixe vazio para pagar { $amount })
pay-with = Pagar com
pay-with-card = Um cartão
pay-with-bank = Uma conta bancária
pay-with-saved = Guardado: { $method }
card = Cartão
card-in-provider-form = Escrito no formulário do próprio prestador de pagamentos: este site nunca vê o número do cartão.
sepa-debit = Conta bancária (débito direto SEPA)
account-holder = Titular da conta
iban-in-provider-form = Enviado desta página ao prestador de pagamentos; este site nunca vê o número da conta. Um débito é liquidado em poucos dias.
needs-javascript = Pagar com cartão ou débito bancário precisa de JavaScript: o formulário de pagamento é o do próprio prestador.
method-card = cartão { $brand } terminado em { $last4 }
method-bank = conta bancária terminada em { $last4 }

## Pagamentos

pending = Pendentes
pending-explained = Reservados nas suas faturas, ainda não pagos.
stage-requires-action = À espera da confirmação do seu banco
stage-processing = Em processamento (um débito bancário é liquidado em poucos dias)
no-payments = Ainda não há pagamentos.
older-payments = Pagamentos mais antigos
receipt-title = Recibo { $number }
paid-on = Pago a { $date }
kept-as-credit = Guardado como crédito
applied-to = Aplicado a
see-payments = Ver os seus pagamentos
confirm-with-bank = Confirme com o seu banco
confirm-with-bank-explained = O seu banco pede-lhe que confirme o pagamento de { $amount }. Nada é cobrado até confirmar; entretanto, o valor fica reservado.
confirm-needs-javascript = Confirmar com o seu banco precisa de JavaScript.
payment-processing = Pagamento em processamento
payment-processing-explained = O seu pagamento de { $amount } foi aceite e está em processamento: um débito bancário é liquidado em poucos dias. Até lá, o valor fica reservado nas suas faturas, e enviamos-lhe um email quando for liquidado (ou se o seu banco o devolver).
thank-you = Obrigado
we-received = Recebemos { $amount }. O seu recibo é o { $receipt }; também segue por email.
link-paid = Obrigado: recebemos { $amount }. O seu recibo é o { $receipt }.
see-receipt = Ver o recibo
back-home = Voltar ao início
card-holder = Nome no cartão
card-number = Número do cartão
card-month = Mês
card-year = Ano
bank-account = Conta bancária
routing-number = Código do banco
account-number = Número de conta

## Reencaminhar e comentários

forward-title = Reencaminhar este documento
forward-to = Endereço de email
forward-note = Nota (opcional)
forward = Reencaminhar
comments = Comentários
no-comments = Ainda não há comentários.
comment-add = Adicionar um comentário
comment = Comentar
comment-you = Você
comment-former-contact = Um antigo contacto

## Extrato

statement-title = Extrato de conta
statement-range = De { $from } a { $to }
period = Período
period-this-month = Este mês
period-last-month = Mês passado
period-this-quarter = Este trimestre
period-this-year = Este ano
period-last-year = Ano passado
period-custom = Outro período
period-from = De
period-to = Até
col-entry = Movimento
opening-balance = Saldo inicial
closing-balance = Saldo final
entry-invoice = Fatura
entry-credit-note = Nota de crédito
entry-payment = Pagamento
entry-refund = Reembolso
statement-pending-explained = Reservados nas suas faturas; só entram no saldo quando forem liquidados.
since = Desde { $date }
aging-title = Antiguidade do que está em dívida
aging-current = Dentro do prazo
aging-1-30 = 1–30 dias
aging-31-60 = 31–60 dias
aging-61-90 = 61–90 dias
aging-over-90 = Mais de 90 dias

## Orçamentos

no-quotes = Ainda não há orçamentos.
col-expires = Válido até
quote = Orçamento
quote-title = Orçamento { $number }
valid-until = válido até { $date }
quote-status-draft = rascunho
quote-status-sent = enviado
quote-status-accepted = aceite
quote-status-declined = recusado
quote-status-invoiced = faturado
accepted-by = Aceite e assinado por <strong>{ $name }</strong> a { $date }.
signature-of = Assinatura de { $name }
declined-because = Recusado:
accept = Aceitar
your-name = O seu nome
type-to-sign = Escreva o seu nome para assinar
draw-to-sign = Ou desenhe a sua assinatura abaixo.
clear-drawing = Apagar o desenho
accept-and-sign = Aceitar e assinar
decline = Recusar
decline-reason = Motivo (opcional)

## Créditos e métodos de pagamento

credits = Créditos
no-credit = Não há crédito disponível.
col-from = Origem
col-available = Disponível
credit-how = Abra uma fatura por pagar para usar nela o seu crédito.
refunds = Reembolsos
no-refunds = Não há reembolsos.
col-paid-back-by = Devolvido por
col-refunded = Reembolsado
source-overpayment = Pagamento em excesso
source-retainer = Adiantamento
use-credit-on = Usar crédito em { $number }
use-credit-on-invoice = Usar crédito na fatura
credit-to-use = Crédito a usar (deixe vazio para liquidar o máximo possível)
preview = Pré-visualizar
what-would-happen = O que aconteceria
col-credit = Crédito
col-used = Usado
balance-now = Saldo agora
balance-after = Saldo depois
use-this-credit = Usar este crédito
no-saved-methods = Não há métodos de pagamento guardados.
remove = Remover
save-method = Guardar um método de pagamento
save-card = Guardar um cartão
save = Guardar
save-card-in-provider-form = Escrito no formulário do próprio prestador de pagamentos: este site nunca vê o número do cartão. O seu banco pode pedir-lhe que confirme.
save-card-needs-javascript = Guardar um cartão precisa de JavaScript: o formulário do cartão é o do próprio prestador.
back-to-methods = Voltar aos métodos de pagamento

## Encomendas, projetos e folhas de horas

sales-orders = Encomendas
no-sales-orders = Não há encomendas.
col-ordered = Encomendada
sales-order = Encomenda
sales-order-title = Encomenda { $number }
ordered-on = Encomendada a { $date }
ships-on = envio a { $date }
not-invoiced = Ainda não faturada.
order-status-draft = rascunho
order-status-open = aberta
order-status-partially_invoiced = faturada em parte
order-status-invoiced = faturada
order-status-closed = fechada
order-status-void = anulada
no-projects = Não há projetos.
col-project = Projeto
project-status-active = ativo
project-status-completed = concluído
timesheets-awaiting = Folhas de horas à espera da sua aprovação
tasks = Tarefas
col-task = Tarefa
col-billable = Faturável
col-logged = Registado
col-unbilled = Ainda não faturado
yes = sim
no = não
time = Tempo
no-time = Não há tempo registado.
col-note = Nota
more-time = Mais registos de tempo
no-timesheets = Ainda não há folhas de horas.
col-timesheet = Folha de horas
timesheet-title = Folha de horas { $title }
col-sent = Enviada
col-minutes = Minutos
sent-on = Enviada a { $date }
minutes = { $minutes } minutos
reason = Motivo:
col-dispute = Contestar (motivo)
dispute-reason-for = Motivo da contestação de { $date }
reject-reason = Motivo, para rejeitar tudo
approve-all = Aprovar tudo
approve-undisputed = Aprovar tudo menos os registos contestados
reject = Rejeitar
approval-status-pending = pendente
approval-status-approved = aprovada
approval-status-partially_approved = aprovada em parte
approval-status-rejected = rejeitada
entry-status-unsubmitted = não enviado
entry-status-pending = pendente
entry-status-approved = aprovado
entry-status-rejected = rejeitado

## Ficheiros, dados e contacto

no-files = Ainda não há ficheiros.
col-name = Nome
col-size = Tamanho
col-actions = Ações
shared-with-you = Partilhado consigo
delete = Apagar
upload-file = Enviar um ficheiro
upload-kinds = PDF, PNG, JPEG ou texto, até 10 MiB
upload = Enviar
sent = Enviado
back = Voltar
forwarded-to = O documento segue para { $to }.
message-sent-to = A sua mensagem segue para { $org }.
review-thanks = Obrigado pela sua avaliação.
contact-title = Contactar { $org }
contact-heading = Contactar
field-phone = Telefone
field-address = Morada
field-subject = Assunto
field-message = Mensagem
send = Enviar
write-review = Escrever uma avaliação
review-question = Como foi trabalhar com { $org }?
send-review = Enviar a avaliação
your-details = Os seus dados
field-customer-name = Nome do cliente
field-company = Empresa
field-first-name = Nome próprio
field-last-name = Apelido
email-changed-by-org = a organização altera-o
billing-address = Morada de faturação
shipping-address = Morada de entrega
field-street = Rua
field-street2 = Rua, segunda linha
field-postcode = Código postal
field-city = Localidade
field-country = País
save-details = Guardar os dados
field-customer = Cliente
details-kept-by = { $org } guarda os seus dados; escreva-lhes para alterar alguma coisa.
change-password = Alterar a palavra-passe
current-password = Palavra-passe atual
new-password = Nova palavra-passe
new-password-again = Nova palavra-passe outra vez
password-changed = A sua palavra-passe foi alterada; os seus outros dispositivos terminaram a sessão.

## Convite e reposição da palavra-passe

welcome = Bem-vindo
welcome-title = Bem-vindo ao seu portal de clientes
welcome-choose-password = Escolha uma palavra-passe para concluir o seu acesso.
password-again = Palavra-passe outra vez
your-preferences = As suas preferências
field-language = Idioma
field-time-zone = Fuso horário
field-dates = Datas
field-clock24 = Relógio de 24 horas
set-password-sign-in = Definir a palavra-passe e entrar
reset-title = Repor a palavra-passe
reset-sent = Se esse email pertencer a um utilizador do portal, segue uma ligação para repor a palavra-passe. Funciona durante pouco tempo e só uma vez.
back-to-sign-in = Voltar a entrar
send-reset-link = Enviar-me uma ligação
choose-new-password = Escolha uma nova palavra-passe
set-password = Definir a palavra-passe

## Document links

link-pay-now = Pagar agora
link-pay-balance = Pagar o saldo
card-cvv = CVV
link-decide = Aceitar ou recusar
link-only-this = Esta página mostra um documento que <bdi>{ $org }</bdi> lhe enviou. Para ver tudo o resto, entre no <a href="{ $url }">portal de clientes</a>.

## Páginas de recusa

error-title-check = Verifique, por favor
error-title-sign-in-again = Entre de novo, por favor
error-title-not-allowed = Não permitido
error-title-link-gone = Esta ligação já não funciona
error-title-cannot-now = Isto não pode ser feito agora
error-title-payment = O pagamento não foi feito
error-title-wait = Aguarde, por favor
error-title-unavailable = Tente de novo daqui a pouco
error-unavailable = O portal está ocupado ou não consegue aceder aos seus dados neste momento. Nada foi alterado; tente de novo daqui a um minuto.
error-title-internal = Algo correu mal
error-internal = Não foi nada que tenha feito. Tente de novo daqui a pouco; se voltar a acontecer, informe a organização e indique a referência abaixo.
error-title-not-found = Não encontrado
error-not-found = Não há nenhuma página neste endereço, ou não é sua para ver. Verifique o endereço, ou volte atrás e procure-a a partir daí.
error-title-too-large = Demasiado grande para enviar
error-too-large = O que enviou é maior do que o portal aceita: um ficheiro pode ter no máximo 10 MiB. Escolha um ficheiro mais pequeno (ou encurte o texto) e envie o formulário de novo.
error-title-bad-form = Não foi possível ler este formulário
error-bad-form = Faltava parte do formulário ou não estava na forma que o portal espera (talvez a página esteja desatualizada). Volte atrás, recarregue a página e preencha o formulário de novo.
error-title-method = Não é algo que esta página faça
error-method = Este endereço não pode ser usado assim: abra-o a partir de uma ligação ou de um botão do portal.
error-title-bad-request = Não foi possível tratar este pedido
error-bad-request = Volte atrás, recarregue a página e tente de novo.
error-title-csrf = Este formulário expirou
error-csrf = A página de onde veio este formulário é demasiado antiga, ou entrou ou saiu entretanto. Volte atrás, recarregue a página e envie o formulário de novo.
error-back-console = Voltar à consola da organização
error-back-start = Voltar à página inicial
error-back-portal = Voltar ao portal
error-reference = Referência para o apoio: erro { $status }, <code>{ $code }</code>

## The dashboard

due-now = A pagar agora
overdue-amount = { $amount } vencido
see-all-due = Ver tudo o que está por pagar
nothing-due = Nada a pagar: tem tudo em dia.
your-figures = Os seus valores
invoice-status-overdue = vencida
amount-due = Valor a pagar
the-invoice = A fatura
link-quote-decided = O orçamento { $number } está { $status }.
support-reference = Referência para o apoio: { $code }
payments-and-credits = Pagamentos e créditos
col-source = Origem
applied-credit-note = Nota de crédito
applied-overpayment = Crédito de um pagamento a mais
applied-retainer = Adiantamento
