"""A small plan for the observatory's tests: the 4B lines of the Sarthe plan, some of them
computed from the test metrics of conftest.py. Its report reads the 4B lines from its
indicators 4B-1 to 4B-7, so that the report's mechanics (snapshots, measurements, secrecy,
trends) are tested on figures the test metrics give; the Sarthe's own report reads eviction
metrics instead."""

PLAN = """\
format: 1
plan:
  code: pdalpd-obs
  title: PDALPD de l'observatoire
  department: "72"
  period: {start: 2008, end: 2012}
territories:
  - {code: LMM, label: Le Mans Métropole, kind: epci, ref: "247200132"}
  - {code: HORS-LMM, label: Reste du département, kind: hors_epci, ref: "247200132"}
organisations:
  - {code: CG72, name: Conseil général de la Sarthe, kind: collectivite}
  - {code: DDE72, name: DDE de la Sarthe, kind: etat}
  - {code: CAF72, name: CAF de la Sarthe, kind: caf_msa}
orientations:
  - code: "1"
    title: Prévenir
    actions:
      - code: 1B
        title: Prévenir les expulsions
        objective: Réduire les expulsions.
        responsible: [CAF72]
        indicators:
          - code: 1B-1
            label: Communes couvertes
            unit: count
            periodicity: year
            kind: computed
            metric: testobs.communes
            params: {min_population: 1000}
          - {code: 1B-2, label: Plans d'apurement mis en place, unit: count, periodicity: year}
  - code: "4"
    title: Piloter
    actions:
      - code: 4B
        title: Organiser la connaissance et le suivi des situations
        objective: Suivre le plan.
        responsible: [CG72, DDE72]
        indicators:
          - {code: 4B-1, label: Demande locative sociale, unit: count, periodicity: quarter}
          - code: 4B-2
            label: Ordonnance et jugement d'expulsion
            unit: count
            periodicity: quarter
            kind: computed
            metric: testobs.population
          - {code: 4B-3, label: Assignations, unit: count, periodicity: quarter, kind: computed,
             metric: testobs.communes}
          - {code: 4B-4, label: Enquêtes sociales (expulsions), unit: count, periodicity: quarter}
          - {code: 4B-5, label: Attributions sur le contingent préfectoral, unit: count, periodicity: year}
          - {code: 4B-6, label: Offre supplémentaire, unit: count, periodicity: year}
          - {code: 4B-7, label: Contribution du FSL, unit: eur, periodicity: year}
targets:
  - {indicator: 1B-1, comparator: ">=", value: 3, period: yearly}
  - {indicator: 4B-3, comparator: ">=", value: 2, period: plan, territory: LMM}
report:
  action: 4B
  quarterly:
    - tab: Suivi trimestriel
      title: Suivi trimestriel (fiche 4B)
      description: Données du trimestre, par territoire du plan.
      trend: true
      lines:
        - {label: Demande locative sociale (demandes enregistrées), indicator: 4B-1}
        - {label: Ordonnances et jugements d'expulsion, indicator: 4B-2}
        - {label: Assignations, indicator: 4B-3, metric: testobs.communes}
        - label: Enquêtes sociales pour expulsion (diagnostics sociaux et financiers complets)
          indicator: 4B-4
  annual:
    - tab: Suivi annuel
      title: Suivi annuel (fiche 4B)
      description: Données de l'année, par territoire du plan.
      trend: true
      lines:
        - {label: Attributions de logement sur le contingent préfectoral, indicator: 4B-5}
        - label: Contribution du FSL au maintien et au relogement des ménages menacés d'expulsion (€)
          indicator: 4B-7
          unit: eur
        - label: Ménages du parc privé aidés par le FSL pour le maintien dans le logement
          metric: eviction.fsl_private_stay_households
        - {label: Relogements effectifs de ménages menacés d'expulsion, metric: eviction.rehousings}
    - tab: Offre supplementaire
      title: Offre supplémentaire produite par type de logement
      description: Logements et places mis en service dans l'année.
      lines:
        - label: Logements très sociaux (PLAI)
        - label: Logements sociaux (PLUS)
        - label: Logements intermédiaires (PLS)
        - label: Logements privés conventionnés (ANAH)
        - label: Places en maison relais ou résidence sociale
      total: {label: Total de l'offre supplémentaire, indicator: 4B-6}
"""
