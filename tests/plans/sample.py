"""A small but complete plan file, edited by tests to produce each kind of error."""

SAMPLE_PLAN = """\
format: 1
plan:
  code: pdalpd-test
  title: PDALPD de test
  department: "72"
  period: {start: 2008, end: 2012}
territories:
  - code: LMM
    label: Le Mans Métropole
    kind: epci
    ref: "247200132"
organisations:
  - code: CAF72
    name: CAF de la Sarthe
    kind: caf_msa
  - code: DDE72
    name: DDE de la Sarthe
    kind: etat
orientations:
  - code: "1"
    title: Prévenir
    actions:
      - code: 1A
        title: Informer les bailleurs
        objective: Promouvoir la résolution amiable.
        responsible: [CAF72]
        partners: [DDE72]
        cost:
          text: 42 000 € annuels
          amounts:
            - amount: 42000
              per: year
        indicators:
          - code: 1A-1
            label: Nombre de séances d'information
            unit: count
            periodicity: year
          - code: 1A-2
            label: Taux de commandement de quitter les lieux / assignations
            unit: percent
            periodicity: year
  - code: "2"
    title: Loger
    actions:
      - code: 2A
        title: Produire des logements très sociaux
        objective: 30 logements sur Le Mans Métropole.
        responsible: [DDE72]
        indicators:
          - code: 2A-1
            label: Nombre de logements mis à disposition
            unit: count
            periodicity: year
targets:
  - indicator: 1A-1
    comparator: ">="
    value: 10
    period: yearly
  - indicator: 1A-2
    comparator: "<="
    value: 33
    period: plan
  - indicator: 2A-1
    comparator: ">="
    value: 30
    period: plan
    territory: LMM
"""
