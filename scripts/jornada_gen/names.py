"""Brazilian reference data for the simulated world: names, area codes, cities, domains."""

FIRST_NAMES = [
    "Ana", "Maria", "Juliana", "Fernanda", "Camila", "Beatriz", "Larissa", "Patrícia",
    "Aline", "Mariana", "Gabriela", "Letícia", "Bruna", "Amanda", "Vanessa", "Luana",
    "Júlia", "Isabela", "Rafaela", "Carolina", "Tatiane", "Renata", "Débora", "Priscila",
    "João", "José", "Pedro", "Lucas", "Gabriel", "Rafael", "Matheus", "Gustavo",
    "Felipe", "Bruno", "Thiago", "Rodrigo", "Eduardo", "Leonardo", "Vinícius", "Diego",
    "André", "Marcelo", "Fábio", "Ricardo", "Caio", "Henrique", "Daniel", "Otávio",
]

LAST_NAMES = [
    "Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira",
    "Lima", "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Lopes",
    "Soares", "Fernandes", "Vieira", "Barbosa", "Rocha", "Dias", "Nascimento", "Andrade",
    "Moreira", "Nunes", "Marques", "Machado", "Mendes", "Freitas", "Cardoso", "Araújo",
]

# (area code, city, state)
AREA_CODES = [
    ("11", "São Paulo", "SP"), ("11", "Guarulhos", "SP"), ("19", "Campinas", "SP"),
    ("21", "Rio de Janeiro", "RJ"), ("31", "Belo Horizonte", "MG"), ("41", "Curitiba", "PR"),
    ("48", "Florianópolis", "SC"), ("51", "Porto Alegre", "RS"), ("61", "Brasília", "DF"),
    ("62", "Goiânia", "GO"), ("71", "Salvador", "BA"), ("81", "Recife", "PE"),
    ("85", "Fortaleza", "CE"), ("27", "Vitória", "ES"), ("92", "Manaus", "AM"),
]

EMAIL_DOMAINS = [
    "gmail.com", "gmail.com", "gmail.com", "hotmail.com", "outlook.com",
    "yahoo.com.br", "uol.com.br", "bol.com.br", "terra.com.br", "icloud.com",
]

# The store's catalog: (sku, title, product_type, price in BRL, is_cross_sell)
PRODUCTS = [
    ("CAF-001", "Café especial 250g", "cafe", "39.90", False),
    ("CAF-002", "Café especial 1kg", "cafe", "129.90", False),
    ("CAF-003", "Café em cápsulas (10 un.)", "cafe", "24.90", False),
    ("MET-001", "Moedor manual", "equipamento", "189.00", True),
    ("MET-002", "Prensa francesa 600ml", "equipamento", "149.00", True),
    ("MET-003", "Filtro de papel (100 un.)", "acessorio", "14.90", True),
    ("MET-004", "Caneca térmica", "acessorio", "79.90", True),
    ("KIT-001", "Kit degustação", "kit", "99.90", False),
    ("CHA-001", "Chá mate 200g", "cha", "19.90", False),
    ("CHO-001", "Chocolate 70% cacau", "doce", "22.50", True),
]

CONTACT_REASONS = [
    ("entrega_atrasada", 0.28), ("troca_devolucao", 0.16), ("pagamento", 0.14),
    ("duvida_produto", 0.18), ("cancelamento", 0.08), ("assinatura", 0.10), ("elogio", 0.06),
]

BOT_ARTICLES = [
    ("art_001", "Como rastrear meu pedido"),
    ("art_002", "Prazos de entrega por região"),
    ("art_003", "Como trocar ou devolver um produto"),
    ("art_004", "Formas de pagamento e Pix"),
    ("art_005", "Como pausar ou cancelar a assinatura"),
    ("art_006", "Guia de moagem para cada método"),
]

AGENT_NAMES = [
    "Carla Mendes", "Rogério Prado", "Simone Teixeira", "Paulo Batista",
    "Cíntia Rezende", "Márcio Pacheco", "Helena Duarte", "Igor Tavares",
]
