"""The words `derive_title` knows: tasks, the verbs that name them, and what is no clue.

Reviewed by hand against the reports of the corpus; a word added here changes the derived
titles of ``tests/fixtures/identity/derived.yml`` (the test says which).
"""

from __future__ import annotations

__all__ = [
    "BARE",
    "CANONICAL",
    "DATASET_NOISE",
    "MACHINERY",
    "MODALITIES",
    "OBJECT_SKIP",
    "STOP",
    "TASKS",
    "VAGUE_TASKS",
    "VERBS",
    "WEAK_TASKS",
]


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


VERBS = {
    "classify": "classification",
    "classifies": "classification",
    "classifying": "classification",
    "detect": "detection",
    "detects": "detection",
    "detecting": "detection",
    "segment": "segmentation",
    "segmenting": "segmentation",
    "generate": "generation",
    "generates": "generation",
    "generating": "generation",
    "predict": "prediction",
    "predicts": "prediction",
    "recognise": "recognition",
    "recognize": "recognition",
    "forecast": "forecasting",
}
"""Verbs whose object names what the task is about ("classify tweets": tweet classification)."""
OBJECT_SKIP = _set(
    "the a an whether given each incoming new unseen input user user-uploaded uploaded"
)
TASKS = _set(
    """
    classification classifier classifiers classifying segmentation segmenting detection
    detector detecting generation generator generating recognition recognizer prediction
    predictor predicting forecasting forecast analysis regression translation summarization
    summarisation captioning estimation retrieval transcription tagging localization
    synthesis answering
    """
)
WEAK_TASKS = frozenset({"classification", "classifier", "segmentation", "recognition"})
"""Task nouns that make a (generic) title on their own."""
BARE = {"classifier": "classification", "classifiers": "classification", "detector": "detection"}
"""A task noun alone says the same as its verb's noun ("a classifier": classification)."""
MODALITIES = _set("image images text data model tabular")
VAGUE_TASKS = frozenset({"analysis", "prediction", "estimation", "generation"})
"""Task nouns that often name the course's machinery ("static analysis"): weighed less."""
CANONICAL = {
    "classifiers": "classification",
    "classifying": "classification",
    "segmenting": "segmentation",
    "detecting": "detection",
    "generating": "generation",
    "predicting": "prediction",
    "forecast": "forecasting",
}
STOP = _set(
    """
    a an the our their its this that these those his her my your for of to and or is was were
    be been being are with by in on at from as into via using use used we it which who what
    when where while than then also both each every all any some such other another only just
    very more most less not no can could would should will may might must do does did done has
    have had having so if but because since after before during over under about between
    through per etc new simple basic final binary multiclass multi-class multilabel
    multi-label standard early batch offline online static general specific actual full
    initial own main overall whole entire different various several many few first second
    last next previous same real live quick fast easy better good best high low large small
    end-to-end one two three proper robust accurate automatic automated further successful
    set up run runs running make makes made return returns returned perform performs performed
    get gets got give gives provide provides enable enables allow allows implement implements
    implemented create creates created build builds built handle handles show shows display
    displays produce produces produced add adds added call calls called start starts trigger
    triggers log logs save saves load loads serve serves served send sends supports help helps
    helped validate validates execute executes project projects team course process there here
    compared later valid
    include includes included integrate integrates integrated do doing e.g i.e
    supervised unsupervised machine learning deep neural network networks pretrained
    pre-trained fine-tuned finetuned trained state-of-the-art sota
    """
)
MACHINERY = _set(
    """
    drift data-drift error errors code coverage linting lint device file files documentation
    docs yaml dependency dependencies performance latency cost costs log logs logging
    exploratory test tests testing unit integration change changes inference request requests
    api endpoint endpoints training validation loss accuracy metric metrics model models
    gradient gradients convergence memory cpu gpu profiling profile type typo typos
    vulnerability security secret secrets bug bugs container docker cloud build pipeline data
    prediction predictions sweep hyperparameter hyperparameters statistical feature features
    input output user users traffic load stress health status class classes minority majority
    quality format formatting schema version versions resource resources usage image-based
    result results service services system monitoring deployment report reports outlier
    outliers workflow workflows ci cd git github commit commits framework library package
    backend frontend server app web response responses input-specific real-time dataset
    datasets processed embedding embeddings dockerfile dockerfiles statistic statistics problem
    problems issue issues
    val vs overfitting diminishing
    """
)
"""Words that make a task phrase about the course's machinery, not about the project."""
DATASET_NOISE = _set(
    """
    the this that these those our a an its kaggle huggingface hugging face gcs gcp google
    cloud bucket dvc processed raw test train training validation full whole entire original
    new public open custom small large same final cleaned preprocessed dvc-tracked
    dvc-managed local remote mnist-like
    """
)
